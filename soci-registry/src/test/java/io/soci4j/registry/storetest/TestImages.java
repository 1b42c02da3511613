package io.soci4j.registry.storetest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.api.MediaTypes;
import io.soci4j.api.Platform;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Seeded OCI images and artifacts for storage tests. Layers are tars written with
 * commons-compress (every header field set, so the same seed gives the same bytes) and gzip
 * compressed; the config's {@code diff_ids} are the digests of the tars.
 *
 * <pre>{@code
 * TestImage image = TestImages.image(7, 3, Platform.parse("linux/amd64"));
 * image.pushTo(store, "v1");
 * Blob index = TestImages.index(List.of(image.manifest().descriptor().withPlatform(...)));
 * Blob soci = TestImages.sociIndexV1(image.manifest().descriptor(), Map.of());
 * }</pre>
 */
public final class TestImages {
  /** The empty JSON object {@code {}}, the config of artifacts. */
  public static final Blob EMPTY_CONFIG = Blob.of("application/vnd.oci.empty.v1+json",
      "{}".getBytes(StandardCharsets.UTF_8));

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant MTIME = Instant.parse("2026-01-02T03:04:05Z");

  private TestImages() {}

  /**
   * An image of {@code layerCount} gzip layers.
   *
   * @param seed the seed: same seed, same bytes
   * @param layerCount number of layers
   * @param platform os and architecture written to the config
   * @return the image
   */
  public static TestImage image(long seed, int layerCount, Platform platform) {
    Random random = new Random(seed);
    List<Blob> layers = new ArrayList<>();
    List<byte[]> tars = new ArrayList<>();
    ArrayNode diffIds = JSON.createArrayNode();
    for (int i = 0; i < layerCount; i++) {
      byte[] tar = tar(random, "layer" + i);
      tars.add(tar);
      diffIds.add(Digest.sha256(tar).toString());
      layers.add(Blob.of(MediaTypes.OCI_LAYER_TAR_GZIP, gzip(tar)));
    }
    ObjectNode config = JSON.createObjectNode();
    config.put("created", MTIME.toString());
    config.put("architecture", platform.architecture());
    config.put("os", platform.os());
    if (!platform.variant().isEmpty()) {
      config.put("variant", platform.variant());
    }
    config.putObject("config").putArray("Cmd").add("/bin/true");
    ObjectNode rootfs = config.putObject("rootfs");
    rootfs.put("type", "layers");
    rootfs.set("diff_ids", diffIds);
    Blob configBlob = Blob.of(MediaTypes.OCI_CONFIG, bytes(config));
    ObjectNode manifest = JSON.createObjectNode();
    manifest.put("schemaVersion", 2);
    manifest.put("mediaType", MediaTypes.OCI_MANIFEST);
    manifest.set("config", descriptor(configBlob.descriptor()));
    ArrayNode layerArray = manifest.putArray("layers");
    for (Blob layer : layers) {
      layerArray.add(descriptor(layer.descriptor()));
    }
    manifest.putObject("annotations").put("org.opencontainers.image.title", "test image " + seed);
    return new TestImage(Blob.of(MediaTypes.OCI_MANIFEST, bytes(manifest)), configBlob, layers, tars);
  }

  /**
   * An OCI image index of the given manifests (their platforms included).
   *
   * @param manifests descriptors of the children
   * @return the index
   */
  public static Blob index(List<Descriptor> manifests) {
    ObjectNode index = JSON.createObjectNode();
    index.put("schemaVersion", 2);
    index.put("mediaType", MediaTypes.OCI_INDEX);
    ArrayNode array = index.putArray("manifests");
    manifests.forEach(d -> array.add(descriptor(d)));
    return Blob.of(MediaTypes.OCI_INDEX, bytes(index));
  }

  /**
   * An OCI 1.1 artifact: empty config, {@code artifactType}, one layer, a subject.
   *
   * @param artifactType the artifact type
   * @param layer the one layer
   * @param subject the subject manifest
   * @param annotations manifest annotations
   * @return the artifact manifest
   */
  public static Blob artifact(String artifactType, Blob layer, Descriptor subject, Map<String, String> annotations) {
    ObjectNode m = JSON.createObjectNode();
    m.put("schemaVersion", 2);
    m.put("mediaType", MediaTypes.OCI_MANIFEST);
    m.put("artifactType", artifactType);
    m.set("config", descriptor(EMPTY_CONFIG.descriptor()));
    m.putArray("layers").add(descriptor(layer.descriptor()));
    m.set("subject", descriptor(subject));
    ObjectNode a = m.putObject("annotations");
    annotations.forEach(a::put);
    return Blob.of(MediaTypes.OCI_MANIFEST, bytes(m));
  }

  /**
   * A SOCI v1 index manifest as soci-snapshotter writes it: no {@code artifactType}; the config
   * media type ({@link MediaTypes#SOCI_INDEX_V1}) is what a referrers listing reports.
   *
   * @param ztoc one zTOC blob
   * @param subject the image manifest
   * @param annotations manifest annotations
   * @return the SOCI index manifest
   */
  public static Blob sociIndexV1(Blob ztoc, Descriptor subject, Map<String, String> annotations) {
    ObjectNode m = JSON.createObjectNode();
    m.put("schemaVersion", 2);
    m.put("mediaType", MediaTypes.OCI_MANIFEST);
    m.set("config", descriptor(Descriptor.of(MediaTypes.SOCI_INDEX_V1, EMPTY_CONFIG.descriptor().digest(), 2)));
    m.putArray("layers").add(descriptor(ztoc.descriptor()));
    m.set("subject", descriptor(subject));
    ObjectNode a = m.putObject("annotations");
    annotations.forEach(a::put);
    return Blob.of(MediaTypes.OCI_MANIFEST, bytes(m));
  }

  /**
   * Seeded random bytes.
   *
   * @param seed the seed
   * @param size how many
   * @return the bytes
   */
  public static byte[] random(long seed, int size) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static ObjectNode descriptor(Descriptor d) {
    ObjectNode n = JSON.createObjectNode();
    n.put("mediaType", d.mediaType());
    n.put("digest", d.digest().toString());
    n.put("size", d.size());
    if (!d.artifactType().isEmpty()) {
      n.put("artifactType", d.artifactType());
    }
    if (d.platform() != null) {
      ObjectNode p = n.putObject("platform");
      p.put("architecture", d.platform().architecture());
      p.put("os", d.platform().os());
      if (!d.platform().variant().isEmpty()) {
        p.put("variant", d.platform().variant());
      }
    }
    if (!d.annotations().isEmpty()) {
      ObjectNode a = n.putObject("annotations");
      d.annotations().forEach(a::put);
    }
    return n;
  }

  /** A tar of a directory, a text file, a random file and a symlink, sizes chosen by the seed. */
  private static byte[] tar(Random random, String dir) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      TarArchiveEntry d = entry(dir + "/", TarArchiveEntry.DEFAULT_DIR_MODE);
      tar.putArchiveEntry(d);
      tar.closeArchiveEntry();
      StringBuilder text = new StringBuilder();
      int lines = 200 + random.nextInt(2000);
      for (int i = 0; i < lines; i++) {
        text.append("line ").append(i).append(" of ").append(dir).append(": ").append(random.nextLong()).append('\n');
      }
      file(tar, dir + "/notes.txt", text.toString().getBytes(StandardCharsets.UTF_8));
      byte[] noise = new byte[1000 + random.nextInt(150_000)];
      random.nextBytes(noise);
      file(tar, dir + "/noise.bin", noise);
      TarArchiveEntry link = new TarArchiveEntry(dir + "/link", TarArchiveEntry.LF_SYMLINK);
      link.setLinkName("notes.txt");
      stamp(link, 0777);
      tar.putArchiveEntry(link);
      tar.closeArchiveEntry();
      tar.finish();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void file(TarArchiveOutputStream tar, String name, byte[] data) throws IOException {
    TarArchiveEntry e = entry(name, 0644);
    e.setSize(data.length);
    tar.putArchiveEntry(e);
    tar.write(data);
    tar.closeArchiveEntry();
  }

  private static TarArchiveEntry entry(String name, int mode) {
    TarArchiveEntry e = new TarArchiveEntry(name);
    stamp(e, mode);
    return e;
  }

  private static void stamp(TarArchiveEntry e, int mode) {
    e.setMode(e.isDirectory() ? 040000 | (mode & 07777) : e.isSymbolicLink() ? 0120000 | (mode & 07777)
        : 0100000 | (mode & 07777));
    e.setModTime(MTIME.toEpochMilli());
    e.setUserId(0);
    e.setGroupId(0);
    e.setUserName("root");
    e.setGroupName("root");
  }

  private static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static byte[] bytes(ObjectNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
