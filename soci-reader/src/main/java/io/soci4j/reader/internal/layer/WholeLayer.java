package io.soci4j.reader.internal.layer;

import io.soci4j.api.Descriptor;
import io.soci4j.reader.internal.stats.LayerCounters;
import io.soci4j.ztoc.TocEntry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Objects;

/**
 * A layer without a zTOC, fetched whole once, verified and decompressed by {@link
 * WholeLayerLoader}: reads are served from the decompressed tar, kept in memory or in a temporary
 * file deleted on close.
 */
public final class WholeLayer implements LayerData {
  private final Descriptor descriptor;
  private final List<TocEntry> entries;
  private final LayerCounters counters;
  private final SpillBuffer tar;

  WholeLayer(Descriptor descriptor, List<TocEntry> entries, LayerCounters counters, SpillBuffer tar) {
    this.descriptor = descriptor;
    this.entries = List.copyOf(entries);
    this.counters = counters;
    this.tar = tar;
  }

  @Override
  public Descriptor descriptor() {
    return descriptor;
  }

  @Override
  public List<TocEntry> entries() {
    return entries;
  }

  @Override
  public boolean indexed() {
    return false;
  }

  @Override
  public LayerCounters counters() {
    return counters;
  }

  /** {@return whether the decompressed tar is held in memory (else in a temporary file)} */
  public boolean inMemory() {
    return tar.inMemory();
  }

  @Override
  public void read(long offset, byte[] dst, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, dst.length);
    Objects.checkFromIndexSize(offset, len, tar.size());
    tar.read(offset, dst, off, len);
  }

  @Override
  public void writeTo(OutputStream out) throws IOException {
    tar.writeTo(out);
  }

  @Override
  public void close() throws IOException {
    tar.close();
  }
}
