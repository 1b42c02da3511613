package io.soci4j.ztoc;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.soci4j.api.Digest;
import io.soci4j.ztoc.testing.BuildZtocMain;
import io.soci4j.ztoc.testing.TestLayers;
import io.soci4j.ztoc.testing.TestLayers.Layer;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The builder's one-pass promise: it reads its input stream once, to the end, without mark,
 * reset or skip, whatever chunk sizes the stream returns (down to one byte per call), does not
 * close it, gets the same zTOC however the bytes arrive, and creates no file (checked in a child
 * JVM whose temporary directory and working directory are fresh and must stay empty).
 *
 * <p>Regression: with compression detection on, the builder read through a {@code
 * SequenceInputStream}, which closes each stream it exhausts, so it closed the caller's stream
 * although {@link ZtocBuilder#build} promises not to.
 */
@Timeout(value = 60, unit = SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ZtocBuilderReadsOnceTest {
  private static final Layer LAYER = TestLayers.mixed(7, TestLayers.Size.SMALL);
  private static final Layer ONE_BYTE_LAYER = oneByteLayer();
  private static final long SPAN = 64 << 10;

  private static Layer oneByteLayer() {
    Random r = new Random(3);
    List<String> words = TestLayers.words(r);
    return new TestLayers.TarWriter().dir("d/").file("d/text.txt", TestLayers.text(r, words, 150_000))
        .file("d/random.bin", TestLayers.random(r, 40_000)).symlink("d/link", "d/text.txt")
        .finish(TestLayers.GNU_RECORD);
  }

  static Stream<Arguments> layers() {
    return Stream.of(
        Arguments.of("gzip -6", TestLayers.gzip(LAYER.tar(), 6), null),
        Arguments.of("gzip -1, forced", TestLayers.gzip(LAYER.tar(), 1), Compression.GZIP),
        Arguments.of("multi-member", TestLayers.gzipMembers(LAYER.tar(), 9, 10_000, 200_001, 400_000), null),
        Arguments.of("tar", LAYER.tar(), null),
        Arguments.of("tar, forced", LAYER.tar(), Compression.UNCOMPRESSED));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("layers")
  void readsTheStreamOnceToItsEndInIrregularChunks(String name, byte[] layer, Compression compression)
      throws Exception {
    ZtocBuilder builder = ZtocBuilder.create().withSpanSize(SPAN).withCompression(compression);
    Ztoc reference = builder.build(new ByteArrayInputStream(layer));
    for (int seed = 0; seed < 3; seed++) {
      StrictStream in = new StrictStream(layer, new Random(seed), 1 + 3000 * seed);
      Ztoc z = builder.build(in);

      assertThat(in.count).as("bytes read").isEqualTo(layer.length);
      assertThat(in.endSeen).as("end of stream reached").isTrue();
      assertThat(in.closed).as("closed").isFalse();
      assertThat(z).isEqualTo(reference);
    }
  }

  @Test
  void worksWhenEveryReadReturnsOneByte() throws Exception {
    for (byte[] layer : List.of(TestLayers.gzip(ONE_BYTE_LAYER.tar(), 6), ONE_BYTE_LAYER.tar())) {
      Ztoc reference = ZtocBuilder.create().withSpanSize(16 << 10).build(new ByteArrayInputStream(layer));
      StrictStream in = new StrictStream(layer, new Random(0), 1);
      Ztoc z = ZtocBuilder.create().withSpanSize(16 << 10).build(in);

      assertThat(in.count).isEqualTo(layer.length);
      assertThat(in.maxReturned).isEqualTo(1);
      assertThat(in.endSeen).isTrue();
      assertThat(in.closed).isFalse();
      assertThat(z).isEqualTo(reference);
      assertThat(z.spans()).hasSizeGreaterThan(2);
      assertThat(z.toc()).extracting(TocEntry::name).containsExactly("d/", "d/text.txt", "d/random.bin", "d/link");
    }
  }

  @Test
  void createsNoFileInTheTempOrWorkingDirectory(@TempDir Path dir) throws Exception {
    Path layerFile = Files.createDirectory(dir.resolve("in")).resolve("layer.tar.gz");
    byte[] layer = TestLayers.gzipMembers(LAYER.tar(), 6, 300_000);
    Files.write(layerFile, layer);
    Path tmp = Files.createDirectory(dir.resolve("tmp"));
    Path work = Files.createDirectory(dir.resolve("work"));
    String expected = Digest.sha256(ZtocCodec.serialize(
        ZtocBuilder.create().withSpanSize(SPAN).build(new ByteArrayInputStream(layer)))).toString();

    String java = ProcessHandle.current().info().command().orElse(
        Path.of(System.getProperty("java.home"), "bin", "java").toString());
    String classpath = System.getProperty("java.class.path")
        + (System.getProperty("jdk.module.path") == null ? "" : File.pathSeparator + System.getProperty("jdk.module.path"));
    Process p = new ProcessBuilder(java, "-XX:-UsePerfData", "-Xshare:off", "-Djava.io.tmpdir=" + tmp,
        "-cp", classpath, BuildZtocMain.class.getName(), layerFile.toString(), Long.toString(SPAN))
        .directory(work.toFile()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();

    assertThat(p.waitFor()).as(output).isZero();
    assertThat(output).isEqualTo(expected);
    assertThat(listing(tmp)).as("files created in java.io.tmpdir").isEmpty();
    assertThat(listing(work)).as("files created in the working directory").isEmpty();
    assertThat(listing(layerFile.getParent())).containsExactly("layer.tar.gz");
  }

  private static List<String> listing(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> !p.equals(dir)).map(p -> dir.relativize(p).toString()).sorted().toList();
    }
  }

  /**
   * Serves bytes in seeded irregular chunks of 1 to {@code maxChunk} bytes; counts them; refuses
   * mark, reset and skip, and reports no bytes as available, so a reader can only read forward.
   */
  private static final class StrictStream extends InputStream {
    private final byte[] data;
    private final Random random;
    private final int maxChunk;
    private int pos;
    long count;
    int maxReturned;
    boolean endSeen;
    boolean closed;

    StrictStream(byte[] data, Random random, int maxChunk) {
      this.data = data;
      this.random = random;
      this.maxChunk = maxChunk;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (len == 0) {
        return 0;
      }
      if (pos == data.length) {
        endSeen = true;
        return -1;
      }
      int n = Math.min(Math.min(len, data.length - pos), 1 + random.nextInt(maxChunk));
      System.arraycopy(data, pos, b, off, n);
      pos += n;
      count += n;
      maxReturned = Math.max(maxReturned, n);
      return n;
    }

    @Override
    public long skip(long n) {
      throw new AssertionError("skip(" + n + ") called");
    }

    @Override
    public boolean markSupported() {
      return false;
    }

    @Override
    public synchronized void mark(int limit) {
      throw new AssertionError("mark called");
    }

    @Override
    public synchronized void reset() {
      throw new AssertionError("reset called");
    }

    @Override
    public int available() {
      return 0;
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
