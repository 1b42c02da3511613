package io.soci4j.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ByteSourceAndExceptionsTest {
  @TempDir Path dir;

  @Test
  void fileAndArraySourcesReadRangesAndRefuseRangesOutside() throws Exception {
    byte[] data = new byte[10_000];
    new java.util.Random(1).nextBytes(data);
    Path file = dir.resolve("blob");
    Files.write(file, data);
    for (ByteSource src : new ByteSource[] {ByteSource.open(file), ByteSource.of(data)}) {
      try (src) {
        assertThat(src.size()).isEqualTo(data.length);
        assertThat(src.read(1234, 100)).isEqualTo(java.util.Arrays.copyOfRange(data, 1234, 1334));
        ByteBuffer buf = ByteBuffer.allocate(10);
        src.read(data.length - 10, buf);
        assertThat(buf.array()).isEqualTo(java.util.Arrays.copyOfRange(data, data.length - 10, data.length));
        assertThatThrownBy(() -> src.read(data.length - 5, 10)).isInstanceOf(EOFException.class)
            .hasMessageContaining("outside");
        assertThatThrownBy(() -> src.read(-1, 1)).isInstanceOf(EOFException.class);
      }
    }
  }

  @Test
  void exceptionsCarryTheirContextInGettersAndMessages() {
    Digest a = Digest.sha256(new byte[] {1});
    Digest b = Digest.sha256(new byte[] {2});
    DigestMismatchException m = new DigestMismatchException("blob x", a, b);
    assertThat(m.expected()).isEqualTo(a);
    assertThat(m.actual()).isEqualTo(b);
    assertThat(m).hasMessageContaining("blob x").hasMessageContaining(a.toString()).hasMessageContaining(b.toString());

    LayerFormatException l = new LayerFormatException("bad", 12, 34, "etc/passwd");
    assertThat(l).hasMessage("bad (compressed offset 12, uncompressed offset 34, entry 'etc/passwd')");
    assertThat(new LayerFormatException("bad", -1, -1, null)).hasMessage("bad");
    assertThat(new UnsupportedLayerException("sparse", 512, "f").entryName()).isEqualTo("f");

    ZtocFormatException z = new ZtocFormatException("toc.metadata[3].name", 77, "past the end");
    assertThat(z).hasMessage("invalid zTOC: toc.metadata[3].name at offset 77: past the end");
    assertThat(z.problem()).isEqualTo("past the end");
    assertThat(z.field()).isEqualTo("toc.metadata[3].name");
    assertThat(new ContentNotFoundException("manifest m").what()).isEqualTo("manifest m");
    assertThat(new SociException("x")).isInstanceOf(java.io.IOException.class);
  }
}
