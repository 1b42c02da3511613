package io.soci4j.registry.internal.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.soci4j.registry.RegistryError;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the OCI error body, {@code {"errors":[{"code":..,"message":..,"detail":..}]}}. Anything
 * else (text, HTML, a token server's {@code {"details":..}}) gives no errors: the status alone
 * then describes the failure. {@code detail} is dropped: it is free-form and can be large.
 */
public final class ErrorBody {
  /** Longest error body read; the rest is ignored. */
  public static final int MAX_BYTES = 64 * 1024;
  private static final int MAX_MESSAGE = 500;

  private ErrorBody() {}

  /**
   * @param body the error body, at most {@link #MAX_BYTES}
   * @return the errors; empty when the body is not an OCI error body
   */
  public static List<RegistryError> parse(byte[] body) {
    List<RegistryError> out = new ArrayList<>();
    if (body.length == 0) {
      return out;
    }
    try {
      JsonNode errors = Json.tree(body).path("errors");
      for (JsonNode e : errors) {
        out.add(new RegistryError(clip(e.path("code").asText("")), clip(e.path("message").asText(""))));
        if (out.size() == 20) {
          break;
        }
      }
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
    return out;
  }

  private static String clip(String s) {
    return s.length() <= MAX_MESSAGE ? s : s.substring(0, MAX_MESSAGE) + "...";
  }
}
