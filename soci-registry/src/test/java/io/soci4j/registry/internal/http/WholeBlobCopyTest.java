package io.soci4j.registry.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.soci4j.api.Descriptor;
import io.soci4j.api.DigestMismatchException;
import io.soci4j.api.MediaTypes;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The local copy a Range-ignoring server's full body becomes: served only after its digest is
 * checked; a corrupted or short body is refused and leaves no file.
 */
class WholeBlobCopyTest {
  @Test
  void aVerifiedBodyServesRangesAndACorruptOneIsRefused() throws Exception {
    byte[] blob = new byte[200_000];
    new Random(3).nextBytes(blob);
    Descriptor d = Descriptor.of(MediaTypes.OCI_LAYER_TAR_GZIP, blob);
    try (WholeBlobCopy copy = WholeBlobCopy.of(d, new ByteArrayInputStream(blob), "blob")) {
      ByteBuffer dst = ByteBuffer.allocate(1000);
      copy.read(150_000, dst);
      assertThat(dst.array()).isEqualTo(Arrays.copyOfRange(blob, 150_000, 151_000));
    }
    long before = temps();
    byte[] corrupt = blob.clone();
    corrupt[12345] ^= 1;
    assertThatThrownBy(() -> WholeBlobCopy.of(d, new ByteArrayInputStream(corrupt), "blob"))
        .isInstanceOf(DigestMismatchException.class).hasMessageContaining("ignores Range");
    assertThatThrownBy(() -> WholeBlobCopy.of(d, new ByteArrayInputStream(blob, 0, 1000), "blob"))
        .isInstanceOf(DigestMismatchException.class);
    assertThat(temps()).as("refused copies leave no file").isEqualTo(before);
  }

  private static long temps() throws java.io.IOException {
    try (var s = java.nio.file.Files.list(java.nio.file.Path.of(System.getProperty("java.io.tmpdir")))) {
      return s.filter(p -> p.getFileName().toString().startsWith("soci4j-blob-")).count();
    }
  }
}
