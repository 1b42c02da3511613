package io.soci4j.ztoc.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.soci4j.api.ContentNotFoundException;
import io.soci4j.api.Descriptor;
import io.soci4j.api.ImageStore;
import io.soci4j.api.MediaTypes;
import io.soci4j.api.Platform;
import io.soci4j.api.SociException;
import io.soci4j.ztoc.internal.json.ManifestJson;
import io.soci4j.ztoc.internal.json.OciJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The platform rules upstream's conversion takes from containerd: which platforms an image has
 * ({@code images.Platforms}), the platform of a single manifest (its config's, normalized),
 * deduplication of requested platforms, and the manifest a platform selects
 * ({@code GetImageManifestDescriptor} with a strict matcher).
 */
final class ImagePlatforms {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Nested indexes followed when listing platforms. */
  private static final int MAX_DEPTH = 8;

  private ImagePlatforms() {}

  /**
   * The platform an image config names, normalized (containerd reads a config into a platform
   * and normalizes it: {@code arm64/v8} becomes {@code arm64}).
   */
  static Platform ofConfig(ImageStore store, Descriptor manifest, Descriptor config) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(store.fetch(config));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new SociException("config " + config.digest() + " of manifest " + manifest.digest()
          + " is not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new SociException("config " + config.digest() + " of manifest " + manifest.digest()
          + " is not a JSON object");
    }
    return OciJson.platform(root, "config " + config.digest() + " of manifest " + manifest.digest()).normalize();
  }

  /**
   * Every platform of an image, as containerd's {@code images.Platforms}: index entries with a
   * platform as written (those with an {@code unknown} OS or architecture left out), entries
   * without one through their manifest's config; a single manifest through its config.
   */
  static List<Platform> all(ImageStore store, Descriptor image) throws IOException {
    List<Platform> out = new ArrayList<>();
    collect(store, image, out, 0);
    return out;
  }

  private static void collect(ImageStore store, Descriptor d, List<Platform> out, int depth) throws IOException {
    if (d.platform() != null) {
      if (!d.platform().os().equals("unknown") && !d.platform().architecture().equals("unknown")) {
        out.add(d.platform());
      }
      return;
    }
    if (!MediaTypes.isManifest(d.mediaType())) {
      return;
    }
    if (depth > MAX_DEPTH) {
      throw new SociException("image " + d.digest() + ": indexes nested more than " + MAX_DEPTH + " deep");
    }
    ManifestJson m = ManifestJson.parse(d, store.fetch(d));
    if (m.isIndex()) {
      for (Descriptor child : m.manifests()) {
        collect(store, child, out, depth + 1);
      }
    } else {
      out.add(ofConfig(store, d, m.config()));
    }
  }

  /**
   * Upstream's {@code DedupePlatforms}: a platform is dropped when an earlier one strictly matches
   * it after normalization; the first spelling wins and the order is kept.
   */
  static List<Platform> dedupe(List<Platform> platforms) {
    List<Platform> out = new ArrayList<>();
    next:
    for (Platform p : platforms) {
      for (Platform kept : out) {
        if (kept.normalize().matchesStrictly(p.normalize())) {
          continue next;
        }
      }
      out.add(p);
    }
    return out;
  }

  /**
   * The manifest a platform selects: in an index, the first entry whose platform strictly
   * matches (an entry without a platform before it is an error, as upstream); a single manifest
   * when its platform matches.
   *
   * @param wanted the requested platform
   * @param target the image (a manifest carrying its config's platform, or an index)
   * @param entries the index's entries (ignored for a manifest)
   * @return the entry
   * @throws ContentNotFoundException when nothing matches: {@code image manifest for P: not found}
   */
  static Descriptor select(Platform wanted, Descriptor target, List<Descriptor> entries) throws SociException {
    if (MediaTypes.isIndex(target.mediaType())) {
      for (Descriptor d : entries) {
        if (d.platform() == null) {
          throw new SociException("image " + target.digest() + ": entry " + d.digest()
              + " has no platform, so no manifest can be chosen by platform");
        }
        if (wanted.matchesStrictly(d.platform())) {
          return d;
        }
      }
    } else if (target.platform() == null || wanted.matchesStrictly(target.platform())) {
      return target;
    }
    throw new ContentNotFoundException("image manifest for " + wanted + ":");
  }
}
