package io.soci4j.cli;

import io.soci4j.api.ByteSource;
import io.soci4j.api.ContentNotFoundException;
import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.ztoc.index.FoundIndex;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Where the {@code soci ztoc} commands find a zTOC (and its layer): local files, or with {@code
 * --image REF} the zTOC of a layer (named by digest) in the image's SOCI index, in a registry or
 * an OCI layout.
 */
final class ZtocSource {
  @Option(names = "--image", paramLabel = "REF",
      description = "Read from this image's SOCI index (registry reference or oci:<dir>[:<ref>]); the first "
          + "argument is then a layer digest.")
  String image;

  @Mixin StoreOptions store;

  /** A zTOC's bytes and, on demand, its layer. */
  interface Opened extends Closeable {
    byte[] ztoc() throws IOException;

    ByteSource layer() throws IOException;
  }

  /**
   * The layer a digest names: the whole digest, or (as progress lines show it) a unique prefix of
   * at least 12 hex digits, with or without {@code sha256:}.
   */
  Descriptor layer(FoundIndex found, String text) throws ContentNotFoundException {
    String hex = text.startsWith(Digest.SHA256 + ":") ? text.substring(Digest.SHA256.length() + 1) : text;
    if (hex.length() == 64) {
      Digest.parse(Digest.SHA256 + ":" + hex); // names what is wrong with a full digest
    } else if (hex.length() < 12 || !hex.matches("[0-9a-f]+")) {
      throw new IllegalArgumentException("invalid layer digest '" + text + "': want sha256:<64 hex> or at least "
          + "12 hex digits of it");
    }
    java.util.List<Descriptor> matches = found.layers().stream().filter(l -> l.digest().hex().startsWith(hex))
        .distinct().toList();
    if (matches.size() > 1) {
      throw new IllegalArgumentException("layer digest prefix '" + text + "' is ambiguous in " + image
          + ": give more digits");
    }
    if (matches.isEmpty()) {
      throw new ContentNotFoundException("layer " + text + " in " + image,
          "its layers: " + found.layers().stream().map(l -> l.digest().hex().substring(0, 12)).toList());
    }
    return matches.get(0);
  }

  boolean fromImage() {
    return image != null;
  }

  /**
   * @param first a zTOC file, or a layer digest with --image
   * @param layerFile the layer file (local mode only, may be null)
   * @return the opened source
   * @throws IOException on failure
   */
  Opened open(String first, Path layerFile) throws IOException {
    if (image == null) {
      return new Opened() {
        @Override
        public byte[] ztoc() throws IOException {
          return Files.readAllBytes(Path.of(first));
        }

        @Override
        public ByteSource layer() throws IOException {
          return ByteSource.open(layerFile);
        }

        @Override
        public void close() {}
      };
    }
    StoreOptions.Opened opened = store.open(image);
    try {
      FoundIndex found = store.requireIndex(opened, image);
      Descriptor layer = layer(found, first);
      Descriptor ztoc = found.ztocFor(layer)
          .orElseThrow(() -> new ContentNotFoundException("zTOC of layer " + first + " (the layer was skipped)"));
      return new Opened() {
        @Override
        public byte[] ztoc() throws IOException {
          return opened.store().fetch(ztoc);
        }

        @Override
        public ByteSource layer() throws IOException {
          return opened.store().openRange(layer);
        }

        @Override
        public void close() throws IOException {
          opened.close();
        }
      };
    } catch (IOException | RuntimeException e) {
      opened.close();
      throw e;
    }
  }
}
