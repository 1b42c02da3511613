package io.soci4j.bench;

import io.soci4j.api.Descriptor;
import io.soci4j.api.MediaTypes;
import io.soci4j.reader.ImageEntry;
import io.soci4j.reader.SociImage;
import io.soci4j.registry.memory.MemoryStore;
import io.soci4j.ztoc.EntryType;
import io.soci4j.ztoc.index.SociIndexBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The image of {@link ReaderBenchmark}, in a {@link MemoryStore} under the tag {@value #TAG}: layer
 * 0 is {@link BenchData#jdkTarGz(int) BenchData.jdkTarGz(6)} (the installed JDKs, about 280 MB of
 * gzip), layer 1 a few small files (fetched whole: below the minimum layer size). Indexed with
 * {@link SociIndexBuilder} (4 MiB spans, layers of 1 MiB and more), so the reader sees a v1 SOCI
 * index as in a registry.
 */
public final class ReaderBenchImage {
  /** Tag of the image in the store. */
  public static final String TAG = "bench";
  /** Index of the big layer. */
  public static final int BIG_LAYER = 0;

  private final MemoryStore store;
  private final byte[] bigLayer;

  private ReaderBenchImage(MemoryStore store, byte[] bigLayer) {
    this.store = store;
    this.bigLayer = bigLayer;
  }

  /**
   * Builds the image and its SOCI index (the big layer's zTOC takes a few seconds).
   *
   * @return the image
   * @throws IOException when the benchmark data cannot be read or indexing fails
   */
  public static ReaderBenchImage build() throws IOException {
    byte[] big = Files.readAllBytes(BenchData.jdkTarGz(6));
    MemoryStore store = MemoryStore.create();
    Descriptor bigDesc = Descriptor.of(MediaTypes.OCI_LAYER_TAR_GZIP, big);
    store.push(bigDesc, big);
    byte[] small = smallLayer();
    Descriptor smallDesc = Descriptor.of(MediaTypes.OCI_LAYER_TAR_GZIP, small);
    store.push(smallDesc, small);
    byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},\"rootfs\":{\"type\":\"layers\","
        + "\"diff_ids\":[]}}").getBytes(StandardCharsets.UTF_8);
    Descriptor configDesc = Descriptor.of(MediaTypes.OCI_CONFIG, config);
    store.push(configDesc, config);
    byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":"
        + json(configDesc) + ",\"layers\":[" + json(bigDesc) + "," + json(smallDesc) + "]}")
        .getBytes(StandardCharsets.UTF_8);
    Descriptor manifestDesc = Descriptor.of(MediaTypes.OCI_MANIFEST, manifest);
    store.push(manifestDesc, manifest);
    store.tag(manifestDesc, TAG);
    SociIndexBuilder.create().withMinLayerSize(1L << 20).build(store, TAG);
    return new ReaderBenchImage(store, big);
  }

  /** {@return the store holding the image and its index} */
  public MemoryStore store() {
    return store;
  }

  /** {@return the compressed big layer, as stored (do not modify)} */
  public byte[] bigLayer() {
    return bigLayer;
  }

  /**
   * The regular files of the merged view, walked through the reader (so names are as a reader
   * sees them), in walk order.
   *
   * @param image the opened image
   * @param minSize smallest size taken
   * @param maxSize largest size taken
   * @return absolute paths of the files with {@code minSize <= size <= maxSize}
   * @throws IOException when listing fails
   */
  public static List<String> files(SociImage image, long minSize, long maxSize) throws IOException {
    List<String> out = new ArrayList<>();
    Deque<String> dirs = new ArrayDeque<>(List.of("/"));
    while (!dirs.isEmpty()) {
      for (ImageEntry e : image.list(dirs.pop())) {
        if (e.type() == EntryType.DIRECTORY) {
          dirs.push(e.path());
        } else if (e.type() == EntryType.REGULAR && e.size() >= minSize && e.size() <= maxSize) {
          out.add(e.path());
        }
      }
    }
    return out;
  }

  private static String json(Descriptor d) {
    return "{\"mediaType\":\"" + d.mediaType() + "\",\"digest\":\"" + d.digest() + "\",\"size\":" + d.size() + "}";
  }

  private static byte[] smallLayer() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
      for (int i = 0; i < 8; i++) {
        byte[] data = ("setting" + i + "=" + "x".repeat(100 * i) + "\n").getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry("etc/bench/file" + i + ".conf");
        e.setSize(data.length);
        e.setModTime(1_700_000_000_000L);
        tar.putArchiveEntry(e);
        tar.write(data);
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }
}
