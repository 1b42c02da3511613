package io.soci4j.reader.internal.layer;

import io.soci4j.api.Digest;
import io.soci4j.api.ZtocFormatException;

/** Names the zTOC and the layer in a zTOC format error, which only knows the field and offset. */
public final class ZtocErrors {
  private ZtocErrors() {}

  /**
   * @param e the error
   * @param ztoc the zTOC's digest
   * @param layer its layer's digest
   * @return the same error, its message naming both (the type, field and offset kept)
   */
  public static ZtocFormatException naming(ZtocFormatException e, Digest ztoc, Digest layer) {
    ZtocFormatException named = new ZtocFormatException(e.field(), e.offset(),
        e.problem() + " (zTOC " + ztoc + " of layer " + layer + ")");
    named.initCause(e);
    return named;
  }
}
