package io.soci4j.registry.testing;

import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.api.MediaTypes;
import io.soci4j.api.Platform;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A small two-platform OCI image built from real tar.gz layers, written by hand as an OCI image
 * layout ({@code oci-layout}, {@code index.json}, {@code blobs/sha256/}) for skopeo to push. The
 * JSON is written as text here, independent of the code under test.
 *
 * <p>linux/amd64: layers {@code base} (with a 1.5 MiB incompressible file, the range-read target)
 * and {@code app}; linux/arm64/v8: {@code base} and {@code arm}.
 */
public final class TestImage {
  /** The layer with the big file. */
  public final Blob base;
  /** The amd64-only layer. */
  public final Blob app;
  /** The arm64-only layer. */
  public final Blob arm;
  /** The amd64 config. */
  public final Blob amd64Config;
  /** The arm64 config. */
  public final Blob arm64Config;
  /** The amd64 manifest. */
  public final Blob amd64Manifest;
  /** The arm64 manifest. */
  public final Blob arm64Manifest;
  /** The image index. */
  public final Blob index;

  /**
   * A blob with its media type.
   *
   * @param mediaType the media type
   * @param bytes the bytes
   */
  public record Blob(String mediaType, byte[] bytes) {
    /** {@return its descriptor} */
    public Descriptor descriptor() {
      return Descriptor.of(mediaType, bytes);
    }

    /** {@return its digest} */
    public Digest digest() {
      return Digest.sha256(bytes);
    }
  }

  private TestImage(long seed) throws IOException {
    Random random = new Random(seed);
    byte[] big = new byte[1536 * 1024];
    random.nextBytes(big);
    Map<String, byte[]> baseFiles = new LinkedHashMap<>();
    baseFiles.put("etc/hello.txt", "hello from soci4j\n".getBytes(StandardCharsets.UTF_8));
    baseFiles.put("data/random.bin", big);
    byte[] baseTar = tar(baseFiles);
    base = new Blob(MediaTypes.OCI_LAYER_TAR_GZIP, gzip(baseTar));
    byte[] appTar = tar(Map.of("app/readme.md", ("# app " + seed + "\n").repeat(200).getBytes(StandardCharsets.UTF_8)));
    app = new Blob(MediaTypes.OCI_LAYER_TAR_GZIP, gzip(appTar));
    byte[] armTar = tar(Map.of("app/arm.txt", ("arm64 " + seed + "\n").repeat(100).getBytes(StandardCharsets.UTF_8)));
    arm = new Blob(MediaTypes.OCI_LAYER_TAR_GZIP, gzip(armTar));
    amd64Config = config("amd64", "", baseTar, appTar);
    arm64Config = config("arm64", "v8", baseTar, armTar);
    amd64Manifest = manifest(amd64Config, base, app);
    arm64Manifest = manifest(arm64Config, base, arm);
    index = new Blob(MediaTypes.OCI_INDEX, ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX
        + "\",\"manifests\":[" + platformDescriptor(amd64Manifest, "amd64", "") + ","
        + platformDescriptor(arm64Manifest, "arm64", "v8") + "]}").getBytes(StandardCharsets.UTF_8));
  }

  /**
   * @param seed makes the content (and so the digests) differ between images
   * @return a new image
   * @throws IOException when building a layer fails
   */
  public static TestImage build(long seed) throws IOException {
    return new TestImage(seed);
  }

  /** {@return the platforms in index order} */
  public List<Platform> platforms() {
    return List.of(new Platform("linux", "amd64", ""), new Platform("linux", "arm64", "v8"));
  }

  /** {@return every blob: layers, configs, manifests and the index} */
  public List<Blob> all() {
    return List.of(base, app, arm, amd64Config, arm64Config, amd64Manifest, arm64Manifest, index);
  }

  /**
   * Writes the image as an OCI image layout whose {@code index.json} names the index with a tag.
   *
   * @param dir the layout directory (created)
   * @param tag the {@code org.opencontainers.image.ref.name}
   * @throws IOException when writing fails
   */
  public void writeLayout(Path dir, String tag) throws IOException {
    Path blobs = Files.createDirectories(dir.resolve("blobs").resolve("sha256"));
    for (Blob b : all()) {
      Files.write(blobs.resolve(b.digest().hex()), b.bytes());
    }
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX
        + "\",\"manifests\":[{\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"digest\":\"" + index.digest()
        + "\",\"size\":" + index.bytes().length + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\""
        + tag + "\"}}]}");
  }

  private static String descriptorJson(Blob b) {
    return "{\"mediaType\":\"" + b.mediaType() + "\",\"digest\":\"" + b.digest() + "\",\"size\":" + b.bytes().length
        + "}";
  }

  private static String platformDescriptor(Blob b, String arch, String variant) {
    return "{\"mediaType\":\"" + b.mediaType() + "\",\"digest\":\"" + b.digest() + "\",\"size\":" + b.bytes().length
        + ",\"platform\":{\"architecture\":\"" + arch + "\",\"os\":\"linux\""
        + (variant.isEmpty() ? "" : ",\"variant\":\"" + variant + "\"") + "}}";
  }

  private static Blob config(String arch, String variant, byte[]... layerTars) {
    List<String> diffIds = new ArrayList<>();
    for (byte[] t : layerTars) {
      diffIds.add("\"" + Digest.sha256(t) + "\"");
    }
    String json = "{\"architecture\":\"" + arch + "\",\"os\":\"linux\""
        + (variant.isEmpty() ? "" : ",\"variant\":\"" + variant + "\"")
        + ",\"config\":{\"Cmd\":[\"/bin/true\"]},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + String.join(",", diffIds)
        + "]},\"history\":[{\"created_by\":\"soci4j test\"}]}";
    return new Blob(MediaTypes.OCI_CONFIG, json.getBytes(StandardCharsets.UTF_8));
  }

  private static Blob manifest(Blob config, Blob... layers) {
    List<String> ls = new ArrayList<>();
    for (Blob l : layers) {
      ls.add(descriptorJson(l));
    }
    String json = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":"
        + descriptorJson(config) + ",\"layers\":[" + String.join(",", ls) + "]}";
    return new Blob(MediaTypes.OCI_MANIFEST, json.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] tar(Map<String, byte[]> files) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        TarArchiveEntry e = new TarArchiveEntry(f.getKey());
        e.setSize(f.getValue().length);
        e.setMode(0644);
        e.setModTime(1_700_000_000_000L);
        tar.putArchiveEntry(e);
        tar.write(f.getValue());
        tar.closeArchiveEntry();
      }
    }
    return out.toByteArray();
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }
}
