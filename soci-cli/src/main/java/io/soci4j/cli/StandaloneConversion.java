package io.soci4j.cli;

import io.soci4j.api.Descriptor;
import io.soci4j.api.MediaTypes;
import io.soci4j.api.SociException;
import io.soci4j.registry.ImageIndex;
import io.soci4j.registry.layout.OciLayoutStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Out-of-place conversion, as upstream's {@code soci convert --standalone}: the source is an OCI
 * layout directory or an OCI archive and is only read; the result is a new layout (all the
 * source's blobs plus the new ones, and an {@code index.json} whose one entry is the
 * SOCI-enabled image index, no ref name) written as a directory or an archive. Everything is
 * built in a temporary directory next to the destination and moved into place at the end, so an
 * interrupted or failed run leaves no half-written destination.
 */
final class StandaloneConversion {
  /** What converts the image inside the prepared store. */
  @FunctionalInterface
  interface Convert {
    Descriptor convert(LayeredStore store, String rootDigest) throws IOException;
  }

  /** Output formats, named as upstream's {@code --format}. */
  enum Format {
    OCI_ARCHIVE("oci-archive"), OCI_DIR("oci-dir");

    final String label;

    Format(String label) {
      this.label = label;
    }

    static Format parse(String s) {
      for (Format f : values()) {
        if (f.label.equals(s)) {
          return f;
        }
      }
      throw new IllegalArgumentException("unsupported output format \"" + s + "\": must be \"oci-archive\" or "
          + "\"oci-dir\"");
    }
  }

  private StandaloneConversion() {}

  static Descriptor run(Path source, Path destination, Format format, Convert convert) throws IOException {
    Path dst = destination.toAbsolutePath().normalize();
    checkDestination(dst, format);
    if (!Files.exists(source)) {
      throw new java.nio.file.NoSuchFileException(source + " (the OCI layout directory or archive to convert)");
    }
    Path parent = dst.getParent();
    Files.createDirectories(parent);
    Path work = io.soci4j.api.internal.ShutdownCleanup.register(
        Files.createTempDirectory(parent, "." + dst.getFileName() + ".soci-"));
    try {
      Path sourceDir = source;
      if (!Files.isDirectory(source)) {
        sourceDir = work.resolve("source");
        Files.createDirectory(sourceDir);
        OciArchive.extract(source, sourceDir);
      }
      Path out = work.resolve("layout");
      Descriptor converted;
      try (OciLayoutStore in = OciLayoutStore.openReadOnly(sourceDir);
          OciLayoutStore written = OciLayoutStore.open(out);
          LayeredStore store = new LayeredStore(in, written)) {
        Descriptor root = root(in, written);
        converted = convert.convert(store, root.digest().toString());
      }
      copyBlobs(sourceDir.resolve("blobs"), out.resolve("blobs"));
      Files.deleteIfExists(out.resolve("index.json.lock"));
      Files.write(out.resolve("index.json"), indexJson(converted));
      if (format == Format.OCI_DIR) {
        if (Files.isDirectory(dst)) {
          Files.delete(dst); // empty, checked above
        }
        Files.move(out, dst, StandardCopyOption.ATOMIC_MOVE);
      } else {
        Path tar = work.resolve("layout.tar");
        OciArchive.write(out, tar);
        Files.move(tar, dst, StandardCopyOption.ATOMIC_MOVE);
      }
      return converted;
    } finally {
      FileTrees.deleteQuietly(work);
      io.soci4j.api.internal.ShutdownCleanup.done(work);
    }
  }

  private static void checkDestination(Path dst, Format format) throws IOException {
    if (format == Format.OCI_DIR && Files.isDirectory(dst)) {
      try (DirectoryStream<Path> d = Files.newDirectoryStream(dst)) {
        if (d.iterator().hasNext()) {
          throw new FileAlreadyExistsException(dst + " (not empty: remove it or choose another output directory)");
        }
      }
    } else if (Files.exists(dst)) {
      throw new FileAlreadyExistsException(dst + " (remove it or choose another output path)");
    }
  }

  /**
   * The image a layout holds, as upstream's {@code resolveLayoutRoot}: the one entry of {@code
   * index.json} when it is a manifest or an index whose manifests are all present; otherwise an
   * index of the manifests present (written to the output), or the one manifest present.
   */
  static Descriptor root(OciLayoutStore layout, OciLayoutStore output) throws IOException {
    byte[] indexJson = Files.readAllBytes(layout.directory().resolve("index.json"));
    List<Descriptor> top = ImageIndex.parse(indexJson).manifests();
    String where = "OCI layout " + layout.directory();
    if (top.isEmpty()) {
      throw new SociException(where + ": index.json lists no manifests");
    }
    if (top.size() == 1 && !MediaTypes.isIndex(top.get(0).mediaType())) {
      return top.get(0);
    }
    List<Descriptor> listed = top.size() == 1 ? ImageIndex.parse(layout.fetch(top.get(0))).manifests() : top;
    List<Descriptor> available = new ArrayList<>();
    for (Descriptor d : listed) {
      if (layout.exists(d)) {
        available.add(d);
      }
    }
    if (available.isEmpty()) {
      throw new SociException(where + ": the image index lists no manifest whose blob is in the layout");
    }
    if (available.size() == 1 && !MediaTypes.isIndex(available.get(0).mediaType())) {
      return available.get(0);
    }
    if (top.size() == 1 && available.size() == listed.size()) {
      return top.get(0);
    }
    byte[] list = ImageIndex.of(available).toBytes();
    Descriptor d = Descriptor.of(MediaTypes.OCI_INDEX, list);
    output.push(d, list);
    return d;
  }

  private static void copyBlobs(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else if (Files.isRegularFile(f) && !Files.exists(target)) {
          Files.copy(f, target);
        }
      }
    }
  }

  /** {@code index.json} as upstream writes it: an OCI index whose one entry is the result. */
  static byte[] indexJson(Descriptor d) {
    return ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[{\"mediaType\":\""
        + d.mediaType() + "\",\"digest\":\"" + d.digest() + "\",\"size\":" + d.size() + "}]}")
        .getBytes(StandardCharsets.UTF_8);
  }
}
