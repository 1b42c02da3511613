package io.soci4j.registry;

import java.util.Objects;

/**
 * One entry of the {@code errors} array of a registry error body (distribution spec "Error
 * codes"), e.g. {@code MANIFEST_UNKNOWN}, {@code BLOB_UNKNOWN}, {@code DENIED},
 * {@code TOOMANYREQUESTS}.
 *
 * @param code the error code; empty when the registry sent none
 * @param message the registry's message; empty when none
 */
public record RegistryError(String code, String message) {

  /**
   * Replaces nulls with empty strings.
   *
   * @param code see the record component
   * @param message see the record component
   */
  public RegistryError {
    code = Objects.requireNonNullElse(code, "");
    message = Objects.requireNonNullElse(message, "");
  }

  /** {@return {@code CODE: message}} */
  @Override
  public String toString() {
    return message.isEmpty() ? code : code.isEmpty() ? message : code + ": " + message;
  }
}
