package io.soci4j.api;

/** A zTOC blob is malformed: names the field and, where known, the byte offset in the blob. */
public class ZtocFormatException extends SociException {
  private static final long serialVersionUID = 1L;
  private final String field;
  private final long offset;
  private final String problem;

  /**
   * @param field the field or structure that is wrong (e.g. "checkpoints", "toc.metadata[3].name")
   * @param offset byte offset in the zTOC blob, or -1
   * @param problem what is wrong
   */
  public ZtocFormatException(String field, long offset, String problem) {
    super("invalid zTOC: " + field + (offset >= 0 ? " at offset " + offset : "") + ": " + problem);
    this.field = field;
    this.offset = offset;
    this.problem = problem;
  }

  /** {@return what is wrong, without the field and offset} */
  public String problem() {
    return problem;
  }

  /** {@return the field or structure that is wrong} */
  public String field() {
    return field;
  }

  /** {@return byte offset in the zTOC blob, or -1} */
  public long offset() {
    return offset;
  }
}
