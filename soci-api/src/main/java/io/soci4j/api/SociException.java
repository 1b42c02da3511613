package io.soci4j.api;

import java.io.IOException;

/**
 * Base of the checked exceptions soci4j throws for bad input or failed I/O. Subclasses carry the
 * context a caller needs (digest, offset, entry name) as getters, and put it in the message.
 */
public class SociException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what went wrong and where
   */
  public SociException(String message) {
    super(message);
  }

  /**
   * @param message what went wrong and where
   * @param cause the underlying failure
   */
  public SociException(String message, Throwable cause) {
    super(message, cause);
  }
}
