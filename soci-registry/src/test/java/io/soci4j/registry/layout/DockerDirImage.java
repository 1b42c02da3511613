package io.soci4j.registry.layout;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.soci4j.api.Digest;
import io.soci4j.api.MediaTypes;
import io.soci4j.api.Platform;
import io.soci4j.registry.testing.Blob;
import io.soci4j.registry.testing.TestImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A Docker schema 2 image in skopeo's {@code dir:} transport format ({@code manifest.json}, one
 * file per blob named by its hex digest, and {@code version}), written without
 * {@link OciLayoutStore}, so the reverse interop test does not depend on our writer.
 *
 * @param config the config bytes
 * @param layers the gzip layer bytes, in order
 */
record DockerDirImage(byte[] config, List<byte[]> layers) {
  private static final ObjectMapper JSON = new ObjectMapper();

  static DockerDirImage write(Path dir, long seed) throws IOException {
    TestImage image = TestImage.of(seed, 2, Platform.parse("linux/amd64"));
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("version"), "Directory Transport Version: 1.1\n");
    ObjectNode manifest = JSON.createObjectNode();
    manifest.put("schemaVersion", 2);
    manifest.put("mediaType", MediaTypes.DOCKER_MANIFEST);
    manifest.set("config", descriptor(MediaTypes.DOCKER_CONFIG, image.config().bytes()));
    ArrayNode layers = manifest.putArray("layers");
    for (Blob layer : image.layers()) {
      layers.add(descriptor(MediaTypes.DOCKER_LAYER_TAR_GZIP, layer.bytes()));
      write(dir, layer.bytes());
    }
    write(dir, image.config().bytes());
    Files.write(dir.resolve("manifest.json"), JSON.writeValueAsBytes(manifest));
    return new DockerDirImage(image.config().bytes(), image.layers().stream().map(Blob::bytes).toList());
  }

  private static ObjectNode descriptor(String mediaType, byte[] bytes) {
    ObjectNode n = JSON.createObjectNode();
    n.put("mediaType", mediaType);
    n.put("size", bytes.length);
    n.put("digest", Digest.sha256(bytes).toString());
    return n;
  }

  private static void write(Path dir, byte[] bytes) throws IOException {
    Files.write(dir.resolve(Digest.sha256(bytes).hex()), bytes);
  }

}
