package io.soci4j.reader.internal.layer;

import io.soci4j.api.Descriptor;
import io.soci4j.reader.internal.stats.LayerCounters;
import io.soci4j.ztoc.TocEntry;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/** The uncompressed tar stream of one layer, read by range: through spans, or from a whole fetch. */
public interface LayerData extends Closeable {

  /** {@return the layer's descriptor} */
  Descriptor descriptor();

  /** {@return the layer's tar entries, in tar order} */
  List<TocEntry> entries();

  /** {@return whether the layer is read through a zTOC} */
  boolean indexed();

  /** {@return the layer's statistics} */
  LayerCounters counters();

  /**
   * Reads bytes of the uncompressed tar stream.
   *
   * @param offset first byte
   * @param dst destination
   * @param off where to write
   * @param len bytes to read (the range is inside the tar stream)
   * @throws IOException on fetch, verification or decompression failure
   */
  void read(long offset, byte[] dst, int off, int len) throws IOException;

  /**
   * Writes the whole decompressed stream, record padding after the tar's end included.
   *
   * @param out where to write
   * @throws IOException on failure
   */
  void writeTo(OutputStream out) throws IOException;
}
