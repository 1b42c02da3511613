package io.soci4j.fuse;

import io.soci4j.api.SociException;

/** FUSE cannot be used here: no {@code /dev/fuse}, no permission to it, or no libfuse 2; the message says what to do. */
public final class FuseUnavailableException extends SociException {
  private static final long serialVersionUID = 1L;

  /** @param message what is missing and what to do */
  public FuseUnavailableException(String message) {
    super(message);
  }

  /**
   * @param message what is missing and what to do
   * @param cause the underlying failure
   */
  public FuseUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
