package io.soci4j.reader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.soci4j.reader.testing.TarBuilder;
import io.soci4j.reader.testing.TestImage;
import io.soci4j.reader.testing.TestStore;
import io.soci4j.ztoc.index.SociIndexBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Extraction applies the reader's entry rules, finds every entry it cannot write before writing
 * anything, reports them all at once, and skips them when asked.
 */
class ExtractUnsafeEntriesTest {
  private static final String LONG_COMPONENT = "n".repeat(256);
  private static final String DEEP = ("d".repeat(250) + "/").repeat(17) + "file";

  /** Two entries the merged view rejects, three this system cannot create, three fine ones. */
  private static byte[] layer() {
    return new TarBuilder()
        .file("./ok", "fine")
        .file("../evil", "escaped")
        .hardlink("./hl-before-target", "./later")
        .file("./later", "target after its link")
        .file("./" + LONG_COMPONENT, "name too long")
        .file("./" + DEEP, "path too long")
        .symlink("./empty-link", "")
        .file("./x/./y/../z.txt", "cleaned like containerd")
        .tar();
  }

  @Test
  void dotDotThatStaysInsideTheRootIsCleanedAsContainerdDoes(@TempDir Path tmp) throws IOException {
    byte[] layer = new TarBuilder().file("./x/./y/../z.txt", "z").hardlink("./x/w/../hl", "x/y/../z.txt").tar();
    try (SociImage img = open(layer)) {
      assertThat(img.rejectedEntries()).isEmpty();
      assertThat(new String(img.readAllBytes("/x/z.txt"))).isEqualTo("z");
      assertThat(img.stat("/x/hl", LinkOption.NOFOLLOW_LINKS).size()).isEqualTo(1);
      ExtractReport r = img.extractTo(tmp.resolve("out"));
      assertThat(Files.readString(tmp.resolve("out/x/z.txt"))).isEqualTo("z");
      assertThat(r.files()).isEqualTo(1);
      assertThat(r.hardLinks()).isEqualTo(1);
      assertThat(r.skipped()).isEmpty();
    }
  }

  @Test
  void everyUnsafeEntryIsReportedAtOnceAndNothingIsWritten(@TempDir Path tmp) throws IOException {
    try (SociImage img = open(layer())) {
      Path target = tmp.resolve("target");
      UnsafeEntryException e = org.junit.jupiter.api.Assertions.assertThrows(UnsafeEntryException.class,
          () -> img.extractTo(target));
      // the merged view's rejections first (layer order), then what cannot be created (tree order)
      assertThat(e.entries()).satisfiesExactly(
          r -> assertThat(r.name() + ": " + r.reason()).isEqualTo("../evil: '..' leads out of the image root"),
          r -> assertThat(r.name() + ": " + r.reason()).isEqualTo(
              "./hl-before-target: hard link target './later' does not exist"),
          r -> assertThat(r).satisfies(d -> assertThat(d.name()).startsWith("/ddd").isSubstringOf("/" + DEEP))
              .extracting(RejectedEntry::reason).asString().contains("longer than the 4095 this system allows"),
          r -> assertThat(r.name() + ": " + r.reason()).isEqualTo(
              "/empty-link: a symbolic link with an empty target cannot be created"),
          r -> assertThat(r.name() + ": " + r.reason()).isEqualTo("/" + LONG_COMPONENT
              + ": a name component of 256 bytes is longer than the 255 this system allows"));
      assertThat(e.getMessage()).contains("5 layer entries cannot be extracted safely, nothing was written")
          .contains("and 2 more");
      assertThat(target).doesNotExist();
      try (Stream<Path> s = Files.list(tmp)) {
        assertThat(s).as("no staging directory left").isEmpty();
      }
    }
  }

  @Test
  void skippedEntriesAreLeftOutAndListed(@TempDir Path tmp) throws IOException {
    try (SociImage img = open(layer())) {
      Path target = tmp.resolve("target");
      ExtractReport r = img.extractTo(target, ExtractOptions.builder().skipUnsafeEntries(true).build());
      assertThat(r.skipped()).hasSize(5);
      try (Stream<Path> s = Files.walk(target)) {
        // the deep path's directories are written down to the one that would be too long
        assertThat(s.map(p -> target.relativize(p).toString()).filter(p -> !p.startsWith("ddd")))
            .containsExactlyInAnyOrder("", "ok", "later", "x", "x/z.txt");
      }
      try (Stream<Path> s = Files.walk(target)) {
        assertThat(s.mapToInt(p -> p.toString().length()).max().getAsInt()).isLessThanOrEqualTo(4095);
      }
      assertThat(r.files()).isEqualTo(3);
      assertThat(r.symlinks()).isZero();
      assertThat(Files.exists(tmp.getParent().resolve("evil"))).isFalse();
    }
  }

  @Test
  void namesInMessagesAreEscaped() {
    RejectedEntry e = new RejectedEntry(io.soci4j.api.Digest.sha256(new byte[0]), "a\u001b]0;pwn\u0007\n", "why");
    assertThat(e.toString()).startsWith("'a\\x1b]0;pwn\\x07\\n' in layer sha256:");
  }

  private static SociImage open(byte[] layer) throws IOException {
    TestStore store = new TestStore();
    new TestImage.Builder().gzipLayer(layer).push(store, "t", SociIndexBuilder.create().withMinLayerSize(0));
    return SociImage.open(store, "t", SociImageOptions.builder().prefetch(false).retryBackoff(Duration.ZERO).build());
  }
}
