package io.soci4j.registry;

import io.soci4j.api.Digest;
import io.soci4j.api.Platform;
import io.soci4j.registry.internal.model.ManifestCodec;
import java.util.List;
import java.util.Objects;

/**
 * The parts of an image config (OCI or Docker) soci4j uses: its platform and the digests of the
 * uncompressed layers ({@code rootfs.diff_ids}).
 *
 * <pre>{@code
 * ImageConfig config = ImageConfig.parse(store.fetch(manifest.config()));
 * Platform p = config.platform();
 * }</pre>
 *
 * @param platform os, architecture and variant
 * @param diffIds digests of the uncompressed layers, in layer order
 */
public record ImageConfig(Platform platform, List<Digest> diffIds) {

  /**
   * Validates and copies.
   *
   * @param platform see the record component
   * @param diffIds see the record component
   */
  public ImageConfig {
    Objects.requireNonNull(platform, "platform");
    diffIds = List.copyOf(diffIds);
  }

  /**
   * Parses config bytes; other fields are ignored.
   *
   * @param json the bytes
   * @return the config
   * @throws InvalidManifestException when the bytes are not a config with os and architecture
   */
  public static ImageConfig parse(byte[] json) throws InvalidManifestException {
    return ManifestCodec.parseConfig(json);
  }
}
