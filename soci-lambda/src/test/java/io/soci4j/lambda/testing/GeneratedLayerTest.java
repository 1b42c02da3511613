package io.soci4j.lambda.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;

/** The generator of big layers makes valid gzip tars, the same for the same seed. */
class GeneratedLayerTest {
  private static final long TARGET = 24 << 20;

  @Test
  void isAValidGzipTarOfTheTargetSizeWhoseTrailerChecksTheTar() throws IOException {
    GeneratedLayer layer = new GeneratedLayer(1, TARGET);
    CountingStream compressed = new CountingStream(layer);
    long tarBytes = 0;
    int entries = 0;
    // GZIPInputStream checks the trailer's CRC-32 and size against what it inflated
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(compressed, 1 << 16))) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        entries++;
        tarBytes += tar.transferTo(java.io.OutputStream.nullOutputStream());
        assertThat(e.getName()).startsWith("./data/");
      }
    }
    assertThat(compressed.count).isGreaterThanOrEqualTo(TARGET).isLessThan(TARGET + (20 << 20));
    assertThat(entries).isEqualTo(layer.entries()).isGreaterThan(10);
    assertThat(layer.uncompressedSize()).isGreaterThan(2 * compressed.count).isGreaterThan(tarBytes);
  }

  @Test
  void theSameSeedGivesTheSameBytesAndAnotherSeedOthers() throws Exception {
    assertThat(sha256(new GeneratedLayer(3, 4 << 20))).isEqualTo(sha256(new GeneratedLayer(3, 4 << 20)))
        .isNotEqualTo(sha256(new GeneratedLayer(4, 4 << 20)));
  }

  private static String sha256(InputStream in) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    try (DigestInputStream d = new DigestInputStream(in, md)) {
      d.transferTo(java.io.OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static final class CountingStream extends java.io.FilterInputStream {
    long count;

    CountingStream(InputStream in) {
      super(in);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      count += Math.max(0, n);
      return n;
    }

    @Override
    public int read() throws IOException {
      int c = super.read();
      count += c < 0 ? 0 : 1;
      return c;
    }
  }
}
