package io.soci4j.reader.testing;

import io.soci4j.ztoc.index.SociIndexBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * The three-layer image most reader tests use, with 64 KiB spans:
 *
 * <ul>
 *   <li>layer 0, gzip, indexed: {@code /etc} files, an empty file, {@code /bin/big} (600 KiB of
 *       random bytes over many spans) and its hard link {@code /bin/hl}, a symlink chain {@code
 *       /chain1 -> chain2 -> /usr/lib/libfoo.so -> libfoo.so.1}, links pointing out of the root
 *       ({@code /escape -> ../../../../etc/passwd}, {@code /abs-escape -> /../../etc/os-release}),
 *       a loop {@code /loop1 <-> /loop2}, {@code /data}, {@code /opaque}, {@code /share/doc}, 40
 *       files {@code /files/fNN} of random sizes;
 *   <li>layer 1, plain tar, indexed: {@code /aligned/target} whose data starts exactly at a span
 *       boundary, whiteout of {@code /data/to-delete}, opaque {@code /opaque} with a new file, a new
 *       {@code /etc/passwd}, a hard link {@code /bin/hl2} to {@code /etc/os-release} of layer 0,
 *       new attributes for {@code /etc};
 *   <li>layer 2, gzip, below the minimum layer size so without zTOC (fetched whole): whiteout of
 *       the directory {@code /share/doc}, {@code /etc/motd}, a new {@code /files/f01}.
 * </ul>
 */
public final class StandardImage {
  /** Span size of the index. */
  public static final long SPAN = 64 << 10;
  /** Minimum layer size of the index: layer 2 is smaller. */
  public static final long MIN_LAYER = 20_000;
  /** Tag of the image. */
  public static final String TAG = "standard";
  /** Number of {@code /files/fNN} files. */
  public static final int FILES = 40;
  /** Contents of /etc/os-release. */
  public static final String OS_RELEASE = "PRETTY_NAME=\"soci4j test\"\nID=soci4j\n";
  /** Contents of /etc/passwd in layer 1 (the visible one). */
  public static final String PASSWD = "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534::/:/sbin/nologin\n";

  private StandardImage() {}

  /** @return the layer 0 tar */
  public static byte[] layer0() {
    Random r = new Random(42);
    TarBuilder t = new TarBuilder()
        .dir("./", 0755)
        .dir("./etc/", 0755)
        .file("./etc/os-release", OS_RELEASE)
        .file("./etc/passwd", "root:x:0:0:root:/root:/bin/bash\n")
        .file("./etc/secret", "s3cr3t".getBytes(StandardCharsets.UTF_8), 0600)
        .file("./etc/empty", new byte[0], 0644)
        .dir("./bin/", 0755)
        .file("./bin/big", random(r, 600 << 10), 0755)
        .hardlink("./bin/hl", "./bin/big")
        .dir("./usr/lib/", 0755)
        .file("./usr/lib/libfoo.so.1", text(r, 100_000), 0644)
        .symlink("./usr/lib/libfoo.so", "libfoo.so.1")
        .symlink("./chain1", "chain2")
        .symlink("./chain2", "/usr/lib/libfoo.so")
        .symlink("./escape", "../../../../etc/passwd")
        .symlink("./abs-escape", "/../../etc/os-release")
        .symlink("./loop1", "loop2")
        .symlink("./loop2", "loop1")
        .dir("./data/", 0755)
        .file("./data/to-delete", "gone soon")
        .file("./data/keep", "kept")
        .dir("./opaque/", 0755)
        .file("./opaque/old1", "old one")
        .dir("./opaque/sub/", 0700)
        .file("./opaque/sub/old2", "old two")
        .file("./share/doc/readme", "docs");
    t.dir("./files/", 0755);
    for (int i = 0; i < FILES; i++) {
      int size = i % 7 == 0 ? 0 : r.nextInt(200_000);
      t.file(String.format("./files/f%02d", i), i % 2 == 0 ? random(r, size) : text(r, size), 0644);
    }
    return t.tar();
  }

  /** @return the layer 1 tar */
  public static byte[] layer1() {
    Random r = new Random(43);
    return new TarBuilder()
        .dir("./etc/", 0751)
        .file("./etc/passwd", PASSWD)
        .hardlink("./bin/hl2", "etc/os-release")
        .file("./data/.wh.to-delete", new byte[0], 0644)
        .file("./opaque/.wh..wh..opq", new byte[0], 0644)
        .file("./opaque/new", "new one")
        .dir("./aligned/", 0755)
        .alignNextFile("./aligned/filler", "./aligned/target", SPAN)
        .file("./aligned/target", random(r, 150_000), 0644)
        .tar();
  }

  /** @return the layer 2 tar */
  public static byte[] layer2() {
    return new TarBuilder()
        .file("./share/.wh.doc", new byte[0], 0644)
        .file("./etc/motd", "welcome\n")
        .file("./files/f01", "replaced by layer 2")
        .tar();
  }

  /**
   * Pushes the image and builds its index (prefetch artifact for {@code /etc/os-release}).
   *
   * @param store where to push
   * @return the image
   * @throws IOException on failure
   */
  public static TestImage push(TestStore store) throws IOException {
    return new TestImage.Builder().gzipLayer(layer0()).tarLayer(layer1()).gzipLayer(layer2())
        .push(store, TAG, SociIndexBuilder.create().withSpanSize(SPAN).withMinLayerSize(MIN_LAYER)
            .withPrefetchPaths(List.of("/etc/os-release")));
  }

  /** @param r random @param n size @return random bytes */
  public static byte[] random(Random r, int n) {
    byte[] b = new byte[n];
    r.nextBytes(b);
    return b;
  }

  /** @param r random @param n size @return compressible text */
  public static byte[] text(Random r, int n) {
    String[] words = {"layer", "span", "checkpoint", "zTOC", "index", "gzip", "tar", "image", "lazy", "fetch"};
    StringBuilder sb = new StringBuilder(n + 16);
    while (sb.length() < n) {
      sb.append(words[r.nextInt(words.length)]).append(r.nextInt(8) == 0 ? '\n' : ' ');
    }
    return sb.substring(0, n).getBytes(StandardCharsets.US_ASCII);
  }
}
