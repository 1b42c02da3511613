package io.soci4j.ztoc.internal.zinfo;

import java.util.zip.Inflater;

/**
 * The span geometry of a gzip layer plus each checkpoint's window: what {@link
 * io.soci4j.ztoc.internal.gzip.GzipSpanDecompressor} needs. Held whole ({@link GzipCheckpoints}) or
 * loaded a checkpoint at a time ({@link LazyGzipCheckpoints}).
 */
public interface DeflateCheckpoints extends SpanGeometry {
  /**
   * Sets a checkpoint's window as the preset dictionary of a raw inflater without copying it.
   *
   * @param span span id (its checkpoint must be loaded)
   * @param inflater a raw ({@code nowrap}) inflater, new or just reset
   */
  void setDictionary(int span, Inflater inflater);
}
