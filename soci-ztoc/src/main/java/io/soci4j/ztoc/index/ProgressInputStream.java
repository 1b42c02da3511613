package io.soci4j.ztoc.index;

import io.soci4j.api.Descriptor;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Counts bytes read from a layer and reports them about once per MiB. */
final class ProgressInputStream extends FilterInputStream {
  private static final long STEP = 1 << 20;
  private final Descriptor layer;
  private final BuildProgress progress;
  private long read;
  private long reported;

  ProgressInputStream(InputStream in, Descriptor layer, BuildProgress progress) {
    super(in);
    this.layer = layer;
    this.progress = progress;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      count(1);
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, len);
    if (n > 0) {
      count(n);
    }
    return n;
  }

  @Override
  public long skip(long n) {
    throw new UnsupportedOperationException("layers are read, not skipped");
  }

  private void count(int n) {
    read += n;
    if (read - reported >= STEP || read == layer.size()) {
      reported = read;
      progress.read(layer, read);
    }
  }
}
