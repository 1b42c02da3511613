package io.soci4j.api;

/** A manifest, blob or tag does not exist in a store. */
public class ContentNotFoundException extends SociException {
  private static final long serialVersionUID = 1L;
  private final String what;

  /**
   * @param what what was looked for, e.g. "manifest sha256:... in localhost:5000/app"
   */
  public ContentNotFoundException(String what) {
    this(what, "");
  }

  /**
   * @param what what was looked for
   * @param hint what to do about it (appended after "not found; "), or empty
   */
  public ContentNotFoundException(String what, String hint) {
    super(what + " not found" + (hint.isEmpty() ? "" : "; " + hint));
    this.what = what;
  }

  /** {@return what was looked for} */
  public String what() {
    return what;
  }
}
