package io.soci4j.ztoc;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.soci4j.api.ByteSource;
import io.soci4j.api.SociException;
import io.soci4j.ztoc.testing.TestLayers;
import io.soci4j.ztoc.testing.TestLayers.Layer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How {@link LayerReader} finds and reads files by name, in a gzip and a plain tar layer: hard
 * links lead to their target, symbolic links whose target is a TOC name are followed (as
 * upstream's lookup does; a target that is not a TOC name, e.g. relative with {@code ..}, is not
 * resolved), names are matched exactly as stored, the last member of a name wins, a missing name
 * is {@link EntryNotFoundException}, a directory is a {@link SociException} "not a regular file",
 * link loops fail instead of hanging, an empty file reads as empty, and reads outside the tar
 * stream or the destination throw {@link IndexOutOfBoundsException}.
 */
@Timeout(value = 30, unit = SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LayerReaderLookupTest {
  private static final byte[] HOSTS = "127.0.0.1 localhost\n::1 localhost\n".repeat(100)
      .getBytes(StandardCharsets.US_ASCII);
  private static final byte[] BIG = TestLayers.random(new Random(5), 200_000);
  private static final Layer LAYER = new TestLayers.TarWriter()
      .dir("etc/")
      .file("etc/hosts", HOSTS)
      .file("etc/empty", new byte[0])
      .file("dup.txt", "first".getBytes(StandardCharsets.US_ASCII))
      .file("big.bin", BIG)
      .hardlink("bin/hard", "etc/hosts")
      .hardlink("bin/hard-to-empty", "etc/empty")
      .symlink("bin/sym", "etc/hosts")
      .symlink("bin/sym-to-hard", "bin/hard")
      .symlink("bin/relative", "../etc/hosts")
      .symlink("bin/to-dir", "etc/")
      .hardlink("loop/a", "loop/b")
      .hardlink("loop/b", "loop/a")
      .symlink("loop/self", "loop/self")
      .file("dup.txt", "second".getBytes(StandardCharsets.US_ASCII))
      .finish(TestLayers.GNU_RECORD);

  private static List<LayerReader> readers() throws IOException {
    byte[] gz = TestLayers.gzip(LAYER.tar(), 6);
    ZtocBuilder b = ZtocBuilder.create().withSpanSize(64 << 10);
    return List.of(
        LayerReader.of(b.build(new ByteArrayInputStream(gz)), ByteSource.of(gz)),
        LayerReader.of(b.build(new ByteArrayInputStream(LAYER.tar())), ByteSource.of(LAYER.tar())));
  }

  @Test
  void hardlinkReadsAsItsTarget() throws Exception {
    for (LayerReader r : readers()) {
      assertThat(r.resolve("bin/hard").name()).isEqualTo("etc/hosts");
      assertThat(r.readFile("bin/hard")).isEqualTo(HOSTS);
      try (InputStream in = r.openFile("bin/hard")) {
        assertThat(in.readAllBytes()).isEqualTo(HOSTS);
      }
    }
  }

  @Test
  void symlinkToATocNameIsFollowedThroughHardlinks() throws Exception {
    for (LayerReader r : readers()) {
      assertThat(r.readFile("bin/sym")).isEqualTo(HOSTS);
      assertThat(r.readFile("bin/sym-to-hard")).isEqualTo(HOSTS);
      assertThat(r.resolve("bin/sym-to-hard").name()).isEqualTo("etc/hosts");
    }
  }

  @Test
  void symlinkWhoseTargetIsNotATocNameIsNotFoundNamingTheTargetAndTheLink() throws Exception {
    for (LayerReader r : readers()) {
      Throwable t = catchThrowable(() -> r.readFile("bin/relative"));
      assertThat(t).isInstanceOf(EntryNotFoundException.class)
          .hasMessageContaining("'../etc/hosts'").hasMessageContaining("'bin/relative' links to '../etc/hosts'");
      assertThat(((EntryNotFoundException) t).name()).isEqualTo("../etc/hosts");
    }
  }

  @Test
  void nameNotInTheTocIsNotFound() throws Exception {
    for (LayerReader r : readers()) {
      for (String name : List.of("etc/nope", "etc", "./etc/hosts", "/etc/hosts", "")) {
        Throwable t = catchThrowable(() -> r.readFile(name));
        assertThat(t).as(name).isInstanceOf(EntryNotFoundException.class).hasMessageContaining("'" + name + "'");
        assertThat(((EntryNotFoundException) t).name()).isEqualTo(name);
        assertThatThrownBy(() -> r.openFile(name)).isInstanceOf(EntryNotFoundException.class);
      }
      assertThat(r.find("etc/nope")).isEmpty();
    }
  }

  @Test
  void directoryIsNotARegularFile() throws Exception {
    for (LayerReader r : readers()) {
      for (String name : List.of("etc/", "bin/to-dir")) {
        Throwable t = catchThrowable(() -> r.readFile(name));
        assertThat(t).as(name).isExactlyInstanceOf(SociException.class)
            .hasMessageContaining("'etc/'").hasMessageContaining("dir").hasMessageContaining("not a regular file");
        assertThatThrownBy(() -> r.openFile(name)).isExactlyInstanceOf(SociException.class);
      }
    }
  }

  @Test
  void hardlinkLoopAndSelfReferencingSymlinkFailInsteadOfHanging() throws Exception {
    for (LayerReader r : readers()) {
      for (String name : List.of("loop/a", "loop/b", "loop/self")) {
        Throwable t = catchThrowable(() -> r.readFile(name));
        assertThat(t).as(name).isExactlyInstanceOf(SociException.class)
            .hasMessageContaining("too many links").hasMessageContaining("'" + name + "'");
      }
    }
  }

  @Test
  void emptyFileReadsAsAnEmptyArray() throws Exception {
    for (LayerReader r : readers()) {
      for (String name : List.of("etc/empty", "bin/hard-to-empty")) {
        assertThat(r.readFile(name)).isEmpty();
        try (InputStream in = r.openFile(name)) {
          assertThat(in.read()).isEqualTo(-1);
          assertThat(in.read(new byte[8], 0, 8)).isEqualTo(-1);
        }
      }
    }
  }

  @Test
  void laterMemberWithTheSameNameWins() throws Exception {
    for (LayerReader r : readers()) {
      assertThat(new String(r.readFile("dup.txt"), StandardCharsets.US_ASCII)).isEqualTo("second");
      assertThat(r.readFile("big.bin")).isEqualTo(BIG);
    }
  }

  /** Regression: {@code read(offset, -1)} allocated first and threw NegativeArraySizeException. */
  @Test
  void readsOutsideTheTarStreamOrTheDestinationThrowIndexOutOfBounds() throws Exception {
    for (LayerReader r : readers()) {
      long size = r.ztoc().uncompressedArchiveSize();
      assertThat(size).isEqualTo(LAYER.archiveEnd()).isLessThan(LAYER.tar().length);
      assertThat(r.read(size, 0)).isEmpty();
      assertThat(r.read(size - 1, 1)).containsExactly(0);

      assertThatThrownBy(() -> r.read(size - 5, 10)).isInstanceOf(IndexOutOfBoundsException.class);
      assertThatThrownBy(() -> r.read(size, 1)).isInstanceOf(IndexOutOfBoundsException.class);
      assertThatThrownBy(() -> r.read(-1, 1)).isInstanceOf(IndexOutOfBoundsException.class);
      assertThatThrownBy(() -> r.read(Long.MAX_VALUE, 1)).isInstanceOf(IndexOutOfBoundsException.class);
      assertThatThrownBy(() -> r.read(0, -1)).isInstanceOf(IndexOutOfBoundsException.class);
      assertThatThrownBy(() -> r.read(0, new byte[10], 5, 6)).isInstanceOf(IndexOutOfBoundsException.class);
      assertThatThrownBy(() -> r.read(0, new byte[10], -1, 2)).isInstanceOf(IndexOutOfBoundsException.class);
      int spans = r.ztoc().spanDigests().size();
      assertThatThrownBy(() -> r.decompressSpan(spans, new byte[1 << 20], 0))
          .isInstanceOf(IndexOutOfBoundsException.class);
      assertThatThrownBy(() -> r.decompressSpan(-1, new byte[1 << 20], 0))
          .isInstanceOf(IndexOutOfBoundsException.class);
      assertThatThrownBy(() -> r.decompressSpan(0, new byte[10], 0)).isInstanceOf(IndexOutOfBoundsException.class);
    }
  }
}
