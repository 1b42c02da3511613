package io.soci4j.registry.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.api.ImageStore;
import io.soci4j.api.MediaTypes;
import io.soci4j.api.Platform;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Seeded OCI images and artifacts for the store and registry tests, written independently of the
 * code under test: layers are tars written with commons-compress (every header field set, so the
 * same seed gives the same bytes) and gzip compressed, the config's {@code diff_ids} are the
 * digests of the tars, and the JSON is written as Jackson trees. A {@code TestImage} is one
 * platform; {@link TwoPlatforms} is the index the registry tests pull.
 *
 * <pre>{@code
 * TestImage image = TestImage.of(7, 3, Platform.parse("linux/amd64")).pushTo(store, "v1");
 * Blob index = TestImage.index(List.of(image.manifest().descriptor().withPlatform(...)));
 * Blob soci = TestImage.sociIndexV1(ztoc, image.manifest().descriptor(), Map.of());
 * TwoPlatforms pulled = TestImage.twoPlatforms(1).copyTo(REGISTRY, "pull/app:v1"); // by skopeo
 * }</pre>
 *
 * @param manifest the image manifest
 * @param config the config
 * @param layers the gzip layers, in order
 */
public record TestImage(Blob manifest, Blob config, List<Blob> layers) {
  /** The empty JSON object {@code {}}, the config of artifacts. */
  public static final Blob EMPTY_CONFIG = Blob.of("application/vnd.oci.empty.v1+json",
      "{}".getBytes(StandardCharsets.UTF_8));

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant MTIME = Instant.parse("2026-01-02T03:04:05Z");
  private static final Platform AMD64 = Platform.parse("linux/amd64");
  private static final Platform ARM64 = Platform.parse("linux/arm64/v8");

  /**
   * An image of {@code layerCount} gzip layers, each a text file and a random file.
   *
   * @param seed the seed: same seed, same bytes
   * @param layerCount number of layers
   * @param platform os and architecture written to the config
   * @return the image
   */
  public static TestImage of(long seed, int layerCount, Platform platform) {
    Random random = new Random(seed);
    List<byte[]> tars = new ArrayList<>();
    for (int i = 0; i < layerCount; i++) {
      StringBuilder text = new StringBuilder();
      int lines = 200 + random.nextInt(2000);
      for (int l = 0; l < lines; l++) {
        text.append("line " + l + " of layer" + i + ": " + random.nextLong() + "\n");
      }
      byte[] noise = new byte[1000 + random.nextInt(150_000)];
      random.nextBytes(noise);
      tars.add(tar(Map.entry("layer" + i + "/notes.txt", text.toString().getBytes(StandardCharsets.UTF_8)),
          Map.entry("layer" + i + "/noise.bin", noise)));
    }
    return of(platform, tars, Map.of("org.opencontainers.image.title", "test image " + seed));
  }

  private static TestImage of(Platform platform, List<byte[]> tars, Map<String, String> annotations) {
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
    ArrayNode diffIds = rootfs.putArray("diff_ids");
    List<Blob> layers = new ArrayList<>();
    for (byte[] tar : tars) {
      diffIds.add(Digest.sha256(tar).toString());
      layers.add(Blob.of(MediaTypes.OCI_LAYER_TAR_GZIP, gzip(tar)));
    }
    Blob configBlob = Blob.of(MediaTypes.OCI_CONFIG, bytes(config));
    ObjectNode manifest = JSON.createObjectNode();
    manifest.put("schemaVersion", 2);
    manifest.put("mediaType", MediaTypes.OCI_MANIFEST);
    manifest.set("config", descriptor(configBlob.descriptor()));
    ArrayNode layerArray = manifest.putArray("layers");
    layers.forEach(l -> layerArray.add(descriptor(l.descriptor())));
    if (!annotations.isEmpty()) {
      ObjectNode a = manifest.putObject("annotations");
      annotations.forEach(a::put);
    }
    return new TestImage(Blob.of(MediaTypes.OCI_MANIFEST, bytes(manifest)), configBlob, layers);
  }

  /** {@return config, layers, manifest: the order a registry accepts them in} */
  public List<Blob> blobsInPushOrder() {
    List<Blob> all = new ArrayList<>(layers);
    all.add(0, config);
    all.add(manifest);
    return all;
  }

  /**
   * Pushes everything (blobs as streams for layers, bytes otherwise) and tags the manifest.
   *
   * @param store where to
   * @param tag the tag, or null for none
   * @return this image
   * @throws IOException on failure
   */
  public TestImage pushTo(ImageStore store, String tag) throws IOException {
    store.push(config.descriptor(), config.bytes());
    for (Blob layer : layers) {
      try (InputStream in = new ByteArrayInputStream(layer.bytes())) {
        store.push(layer.descriptor(), in);
      }
    }
    store.push(manifest.descriptor(), manifest.bytes());
    if (tag != null) {
      store.tag(manifest.descriptor(), tag);
    }
    return this;
  }

  /**
   * The two-platform image the registry tests pull: an index of linux/amd64 (layers {@link #base}
   * and {@link #app}) and linux/arm64/v8 ({@link #base} and {@link #arm}).
   *
   * @param index the image index
   * @param amd64 the linux/amd64 image
   * @param arm64 the linux/arm64/v8 image
   */
  public record TwoPlatforms(Blob index, TestImage amd64, TestImage arm64) {
    /** {@return the layer both platforms share, with a 1.5 MiB random file: the range-read target} */
    public Blob base() {
      return amd64.layers().get(0);
    }

    /** {@return the amd64-only layer} */
    public Blob app() {
      return amd64.layers().get(1);
    }

    /** {@return the arm64-only layer} */
    public Blob arm() {
      return arm64.layers().get(1);
    }

    /** {@return the platforms in index order} */
    public List<Platform> platforms() {
      return List.of(AMD64, ARM64);
    }

    /**
     * Writes the image as an OCI image layout, by hand, whose {@code index.json} names the index
     * with a tag.
     *
     * @param dir the layout directory (created)
     * @param tag the {@code org.opencontainers.image.ref.name}
     * @throws IOException when writing fails
     */
    public void writeLayout(Path dir, String tag) throws IOException {
      Path blobs = Files.createDirectories(dir.resolve("blobs").resolve("sha256"));
      List<Blob> all = new ArrayList<>(amd64.blobsInPushOrder());
      all.addAll(arm64.blobsInPushOrder());
      all.add(index);
      for (Blob b : all) {
        Files.write(blobs.resolve(b.digest().hex()), b.bytes());
      }
      Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
      Files.write(dir.resolve("index.json"), TestImage.index(List.of(index.descriptor()
          .withAnnotations(Map.of("org.opencontainers.image.ref.name", tag)))).bytes());
    }

    /**
     * Copies the image into a test registry with skopeo, from a layout written by
     * {@link #writeLayout} under {@code target/}, with the registry's Basic credentials if it has any.
     *
     * @param registry the registry
     * @param name {@code <repository>:<tag>}
     * @return this image
     * @throws IOException when writing the layout or skopeo fails
     */
    public TwoPlatforms copyTo(RegistryExtension registry, String name) throws IOException {
      Path layout = Files.createTempDirectory(Path.of("target"), "layout");
      writeLayout(layout, "v1");
      Skopeo.copyToRegistry(layout, "v1", registry.registry() + "/" + name,
          registry.user() == null ? null : registry.user() + ":" + registry.password());
      return this;
    }
  }

  /**
   * @param seed makes the content (and so the digests) differ between images
   * @return a new {@link TwoPlatforms} image
   */
  public static TwoPlatforms twoPlatforms(long seed) {
    byte[] base = tar(Map.entry("etc/hello.txt", "hello from soci4j\n".getBytes(StandardCharsets.UTF_8)),
        Map.entry("data/random.bin", random(seed, 1536 * 1024)));
    byte[] app = tar(Map.entry("app/readme.md", ("# app " + seed + "\n").repeat(200).getBytes(StandardCharsets.UTF_8)));
    byte[] arm = tar(Map.entry("app/arm.txt", ("arm64 " + seed + "\n").repeat(100).getBytes(StandardCharsets.UTF_8)));
    TestImage amd64 = of(AMD64, List.of(base, app), Map.of());
    TestImage arm64 = of(ARM64, List.of(base, arm), Map.of());
    return new TwoPlatforms(index(List.of(amd64.manifest().descriptor().withPlatform(AMD64),
        arm64.manifest().descriptor().withPlatform(ARM64))), amd64, arm64);
  }

  /**
   * An OCI image index of the given manifests (their platforms and annotations included).
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
    return referrer(artifactType, EMPTY_CONFIG.descriptor(), layer, subject, annotations);
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
    Descriptor config = Descriptor.of(MediaTypes.SOCI_INDEX_V1, EMPTY_CONFIG.digest(), 2);
    return referrer(null, config, ztoc, subject, annotations);
  }

  private static Blob referrer(String artifactType, Descriptor config, Blob layer, Descriptor subject,
      Map<String, String> annotations) {
    ObjectNode m = JSON.createObjectNode();
    m.put("schemaVersion", 2);
    m.put("mediaType", MediaTypes.OCI_MANIFEST);
    if (artifactType != null) {
      m.put("artifactType", artifactType);
    }
    m.set("config", descriptor(config));
    m.putArray("layers").add(descriptor(layer.descriptor()));
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

  /** A tar of regular files, owned by root, mode 0644, with a fixed mtime. */
  @SafeVarargs
  private static byte[] tar(Map.Entry<String, byte[]>... files) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Map.Entry<String, byte[]> f : files) {
        TarArchiveEntry e = new TarArchiveEntry(f.getKey());
        e.setMode(0100644);
        e.setModTime(MTIME.toEpochMilli());
        e.setUserId(0);
        e.setGroupId(0);
        e.setUserName("root");
        e.setGroupName("root");
        e.setSize(f.getValue().length);
        tar.putArchiveEntry(e);
        tar.write(f.getValue());
        tar.closeArchiveEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
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
