package io.soci4j.ztoc.index;

import io.soci4j.api.internal.ShutdownCleanup;

import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.api.ImageStore;
import io.soci4j.api.MediaTypes;
import io.soci4j.api.SociException;
import io.soci4j.api.UnsupportedLayerException;
import io.soci4j.ztoc.ZstdRecompressor;
import io.soci4j.ztoc.index.SociConverter.ConvertedImage;
import io.soci4j.ztoc.index.SociConverter.Rewritten;
import io.soci4j.ztoc.internal.json.ManifestJson;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Converts an image into a SOCI-enabled image (v2, as {@link SociConverter}) whose layers are
 * seekable zstd ({@code application/vnd.oci.image.layer.v1.tar+zstd}): each tar, tar+gzip or
 * tar+zstd layer is recompressed by {@link ZstdRecompressor} into standard zstd frames cut for the
 * span size, so any zstd decoder still reads it while SOCI reads it lazily. The zTOCs come from the
 * recompression itself (the new layers are not read again), the image config is kept (the
 * uncompressed tars, hence the diff IDs, are unchanged, and checked against the config), and the
 * original image is left untouched.
 *
 * <pre>{@code
 * ConvertedImage zstd = ZstdConverter.of(SociIndexBuilder.create())
 *     .withLevel(3)
 *     .convert(store, "app:1.0", "app:1.0-soci-zstd");
 * }</pre>
 *
 * <p>Recompressed layers are written to a temporary file each (deleted afterwards) because a store
 * needs a blob's digest before it is pushed. zTOCs of zstd layers use the {@link
 * io.soci4j.ztoc.Compression#ZSTD} extension, which upstream soci-snapshotter does not read.
 * Layers with URLs (non-distributable) or other media types are kept as they are; so are layers
 * with members SOCI cannot index. Immutable and thread-safe.
 */
public final class ZstdConverter {
  private final SociIndexBuilder builder;
  private final ZstdRecompressor recompressor;
  private final Path tempDirectory;

  private ZstdConverter(SociIndexBuilder builder, ZstdRecompressor recompressor, Path tempDirectory) {
    this.builder = builder;
    this.recompressor = recompressor;
    this.tempDirectory = tempDirectory;
  }

  /**
   * @param builder options for the zTOCs and indexes (its span size also sizes the zstd frames);
   *     its platforms choose what to convert (all platforms when none are set)
   * @return a converter with zstd level 3 and a seek table in each layer
   */
  public static ZstdConverter of(SociIndexBuilder builder) {
    ZstdRecompressor r = ZstdRecompressor.create().withSpanSize(builder.options().spanSize())
        .withBuildToolIdentifier(builder.options().buildTool());
    return new ZstdConverter(builder, r, null);
  }

  /**
   * @param level zstd level of the new layers
   * @return a copy with this level
   */
  public ZstdConverter withLevel(int level) {
    return new ZstdConverter(builder, recompressor.withLevel(level), tempDirectory);
  }

  /**
   * @param enabled whether the new layers end with a zstd seekable-format seek table (default true)
   * @return a copy with this setting
   */
  public ZstdConverter withSeekTable(boolean enabled) {
    return new ZstdConverter(builder, recompressor.withSeekTable(enabled), tempDirectory);
  }

  /**
   * @param dir where recompressed layers are staged before they are pushed (default: the JVM's
   *     temporary directory)
   * @return a copy using this directory
   */
  public ZstdConverter withTempDirectory(Path dir) {
    return new ZstdConverter(builder, recompressor, Objects.requireNonNull(dir, "dir"));
  }

  /**
   * Converts an image and tags the SOCI-enabled index.
   *
   * @param store the store holding the image; new layers, manifests and indexes are pushed there
   * @param reference tag or digest of the image
   * @param newTag tag for the SOCI-enabled zstd image
   * @return what was built; each platform's {@link PlatformIndex#manifest()} is the zstd manifest
   *     before the index-digest annotation (not stored itself), and its layer reports name the new
   *     zstd layers
   * @throws IndexBuildException when a platform cannot be indexed
   * @throws io.soci4j.api.LayerFormatException when a layer does not decompress
   * @throws SociException when a layer's uncompressed digest is not the config's diff ID
   * @throws IOException on store failures
   */
  public ConvertedImage convert(ImageStore store, String reference, String newTag) throws IOException {
    ConvertedImage converted = convert(store, reference);
    store.tag(converted.index(), newTag);
    return converted;
  }

  /**
   * Converts an image without tagging the result (see {@link SociConverter#convert(ImageStore,
   * String)}).
   *
   * @param store the store holding the image; new layers, manifests and indexes are pushed there
   * @param reference tag or digest of the image
   * @return what was built
   * @throws IndexBuildException when a platform cannot be indexed
   * @throws io.soci4j.api.LayerFormatException when a layer does not decompress
   * @throws IOException on store failures
   */
  public ConvertedImage convert(ImageStore store, String reference) throws IOException {
    Map<Digest, Converted> done = new HashMap<>();
    return SociConverter.of(builder).convert(store, reference, (s, manifest) -> rewrite(s, manifest, done));
  }

  /** A layer recompressed and pushed: its new descriptor and zTOC, or null when it was kept. */
  private record Converted(Descriptor layer, ZstdRecompressor.Result result) {}

  private Rewritten rewrite(ImageStore store, Descriptor manifest, Map<Digest, Converted> done) throws IOException {
    ManifestJson m = SociConverter.imageManifest(store, manifest);
    List<Digest> diffIds = ImageConfig.diffIds(store, m.config());
    List<Descriptor> layers = new ArrayList<>();
    Map<Digest, io.soci4j.ztoc.Ztoc> ztocs = new HashMap<>();
    for (int i = 0; i < m.layers().size(); i++) {
      Descriptor layer = m.layers().get(i);
      Converted c = done.get(layer.digest());
      if (c == null) {
        c = convertible(layer) ? convert(store, layer) : new Converted(layer, null);
        done.put(layer.digest(), c);
      }
      if (c.result() != null) {
        if (diffIds.size() == m.layers().size() && !diffIds.get(i).equals(c.result().diffId())) {
          throw new SociException("layer " + i + " (" + layer.digest() + ") of manifest " + manifest.digest()
              + " decompresses to " + c.result().diffId() + ", but the config's diff_id is " + diffIds.get(i));
        }
        ztocs.put(c.layer().digest(), c.result().ztoc());
      }
      layers.add(c.layer());
    }
    byte[] json = io.soci4j.ztoc.internal.json.OciDocuments.ociManifest(m, layers, m.annotations());
    Descriptor rewritten = Descriptor.of(MediaTypes.OCI_MANIFEST, json);
    return new Rewritten(rewritten, ManifestJson.parse(rewritten, json), false, ztocs);
  }

  /** Layers this converter recompresses: tar, tar+gzip and tar+zstd, without URLs. */
  static boolean convertible(Descriptor layer) {
    return layer.urls().isEmpty() && LayerIndexer.compressionOf(layer.mediaType()) != null;
  }

  private Converted convert(ImageStore store, Descriptor layer) throws IOException {
    Path staged = ShutdownCleanup.register(tempDirectory == null ? Files.createTempFile("soci4j-zstd-", ".tar.zst")
        : Files.createTempFile(tempDirectory, "soci4j-zstd-", ".tar.zst"));
    try {
      ZstdRecompressor.Result r;
      try (InputStream in = store.open(layer);
          OutputStream out = new BufferedOutputStream(Files.newOutputStream(staged), 1 << 16)) {
        r = recompressor.recompress(in, out);
      } catch (UnsupportedLayerException e) {
        return new Converted(layer, null); // SOCI cannot index it: keep it as it is
      }
      Descriptor converted = Descriptor.of(MediaTypes.OCI_LAYER_TAR_ZSTD, r.digest(), r.size())
          .withAnnotations(layer.annotations());
      try (InputStream in = Files.newInputStream(staged)) {
        store.push(converted, in);
      }
      return new Converted(converted, r);
    } finally {
      Files.deleteIfExists(staged);
      ShutdownCleanup.done(staged);
    }
  }
}
