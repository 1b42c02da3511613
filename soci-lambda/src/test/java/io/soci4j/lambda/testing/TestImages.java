package io.soci4j.lambda.testing;

import io.soci4j.api.Descriptor;
import io.soci4j.api.MediaTypes;
import io.soci4j.registry.ImageReference;
import io.soci4j.registry.RegistryClient;
import io.soci4j.registry.layout.OciLayoutStore;
import io.soci4j.registry.testing.Skopeo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Images and events for the handler's tests: layouts copied to a registry with skopeo. */
public final class TestImages {
  /** The account of the events. */
  public static final String ACCOUNT = "123456789012";

  private TestImages() {}

  /**
   * @param data bytes
   * @return their gzip
   * @throws IOException never
   */
  public static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }

  /**
   * Writes an image of gzip layers to an OCI layout under {@code dir} and copies it to the registry
   * with skopeo.
   *
   * @param dir where the layout goes
   * @param registry {@code host:port}
   * @param creds {@code user:password} or null
   * @param repo the repository
   * @param tag the tag
   * @param layers the gzip layers
   * @throws IOException when writing or skopeo fails
   */
  public static void push(Path dir, String registry, String creds, String repo, String tag, byte[]... layers)
      throws IOException {
    Path layout = dir.resolve("layout-" + repo + "-" + tag);
    try (OciLayoutStore store = OciLayoutStore.open(layout)) {
      List<Descriptor> ls = new ArrayList<>();
      for (byte[] layer : layers) {
        Descriptor l = Descriptor.of(MediaTypes.OCI_LAYER_TAR_GZIP, layer);
        store.push(l, layer);
        ls.add(l);
      }
      Descriptor m = manifest(store, ls);
      store.tag(m, tag);
    }
    Skopeo.copyToRegistry(layout, tag, registry + "/" + repo + ":" + tag, creds);
  }

  /**
   * Pushes a config and the manifest of an amd64 image of the given layers (already in the store).
   *
   * @param store where
   * @param layers the layers
   * @return the manifest
   * @throws IOException on failure
   */
  public static Descriptor manifest(io.soci4j.api.ImageStore store, List<Descriptor> layers) throws IOException {
    byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"
        .getBytes(StandardCharsets.UTF_8);
    Descriptor c = Descriptor.of(MediaTypes.OCI_CONFIG, config);
    store.push(c, config);
    byte[] manifest = io.soci4j.registry.ImageManifest.of(c, layers).toBytes();
    Descriptor m = Descriptor.of(MediaTypes.OCI_MANIFEST, manifest);
    store.push(m, manifest);
    return m;
  }

  /**
   * @param client a client of the registry
   * @param registry {@code host:port}
   * @param repo the repository
   * @param tag a tag
   * @return the digest it names
   * @throws IOException when it names nothing
   */
  public static String digestOf(RegistryClient client, String registry, String repo, String tag) throws IOException {
    return client.store(ImageReference.parse(registry + "/" + repo)).resolve(tag).digest().toString();
  }

  /**
   * An EventBridge event as AWS documents it for an ECR image push (detail-type {@code ECR Image
   * Action}).
   *
   * @param region the region
   * @param repo the repository
   * @param digest the pushed manifest's digest
   * @param tag the pushed tag, or null for an untagged push
   * @return the event's JSON
   */
  public static byte[] event(String region, String repo, String digest, String tag) {
    return ("{\"version\":\"0\",\"id\":\"13cde686-328b-6117-af20-0e5566167482\",\"detail-type\":\"ECR Image Action\","
        + "\"source\":\"aws.ecr\",\"account\":\"" + ACCOUNT + "\",\"time\":\"2026-12-02T12:00:00Z\",\"region\":\""
        + region + "\",\"resources\":[],\"detail\":{\"result\":\"SUCCESS\",\"repository-name\":\"" + repo
        + "\",\"image-digest\":\"" + digest + "\",\"action-type\":\"PUSH\"" + (tag == null ? "" : ",\"image-tag\":\""
        + tag + "\"") + "}}").getBytes(StandardCharsets.UTF_8);
  }
}
