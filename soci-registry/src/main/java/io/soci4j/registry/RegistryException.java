package io.soci4j.registry;

import io.soci4j.api.SociException;
import java.util.List;
import java.util.Objects;

/**
 * A registry request failed: an unexpected HTTP status, or a transport failure after the retries
 * ran out. Carries the request ({@link #call()}), the status (0 when no response came) and the
 * registry's OCI {@code errors[]}. Never carries credentials, tokens or query strings.
 *
 * <p>404 answers are reported as {@link RegistryNotFoundException} instead.
 */
public class RegistryException extends SociException {
  private static final long serialVersionUID = 1L;
  private final RegistryCall call;
  private final int status;
  private final List<RegistryError> errors;

  /**
   * @param operation what the client was doing, e.g. "push blob sha256:... to localhost:5000/app"
   * @param call the request that failed
   * @param status the HTTP status, or 0 when no response came
   * @param errors the registry's errors; empty when the body had none
   * @param cause the transport failure, or null
   */
  public RegistryException(String operation, RegistryCall call, int status, List<RegistryError> errors,
      Throwable cause) {
    super(format(operation, call, status, errors, cause), cause);
    this.call = Objects.requireNonNull(call, "call");
    this.status = status;
    this.errors = List.copyOf(errors);
  }

  static String format(String operation, RegistryCall call, int status, List<RegistryError> errors, Throwable cause) {
    StringBuilder sb = new StringBuilder(operation).append(" failed: ").append(call);
    if (status > 0) {
      sb.append(" returned HTTP ").append(status);
    } else if (cause != null) {
      sb.append(": ").append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage());
    }
    if (!errors.isEmpty()) {
      sb.append(' ').append(errors);
    }
    return sb.toString();
  }

  /** {@return the request that failed} */
  public RegistryCall call() {
    return call;
  }

  /** {@return the registry, {@code host[:port]}} */
  public String registry() {
    return call.registry();
  }

  /** {@return the repository; empty for registry-level requests} */
  public String repository() {
    return call.repository();
  }

  /** {@return the HTTP status, or 0 when no response came} */
  public int status() {
    return status;
  }

  /** {@return the registry's errors; empty when none} */
  public List<RegistryError> errors() {
    return errors;
  }
}
