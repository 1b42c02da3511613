package io.soci4j.registry;

import io.soci4j.api.SociException;

/**
 * Manifest, index or config bytes are not a valid document of the expected kind: malformed JSON,
 * a missing required field, a {@code mediaType} that contradicts the response's
 * {@code Content-Type}, or an unsupported schema (Docker schema 1).
 */
public class InvalidManifestException extends SociException {
  private static final long serialVersionUID = 1L;
  private final String problem;

  /**
   * @param what the document, e.g. "manifest sha256:... of localhost:5000/app"
   * @param problem what is wrong with it
   */
  public InvalidManifestException(String what, String problem) {
    super("invalid " + what + ": " + problem);
    this.problem = problem;
  }

  /**
   * @param what the document
   * @param problem what is wrong with it
   * @param cause the parser's exception
   */
  public InvalidManifestException(String what, String problem, Throwable cause) {
    super("invalid " + what + ": " + problem, cause);
    this.problem = problem;
  }

  /** {@return what is wrong, without the document's name} */
  public String problem() {
    return problem;
  }
}
