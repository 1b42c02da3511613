package io.soci4j.cli;

import io.soci4j.api.SociException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * OCI image layouts as tar archives ({@code oci-archive}, what {@code skopeo copy
 * oci-archive:...}, {@code docker save} of OCI and upstream's standalone convert use): unpacked
 * into a directory, refusing anything but plain files and directories inside it, and written
 * with {@code oci-layout} and {@code index.json} first.
 */
final class OciArchive {
  private OciArchive() {}

  /**
   * Unpacks an archive.
   *
   * @param archive the tar file
   * @param dir an empty directory to unpack into
   * @throws SociException when an entry is a link, a device, absolute or climbs out with ".."
   * @throws IOException on read or write failures
   */
  static void extract(Path archive, Path dir) throws IOException {
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new BufferedInputStream(Files.newInputStream(archive),
        1 << 16))) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        String name = e.getName();
        String where = "OCI archive " + archive + ": entry '" + name + "'";
        Path target = dir.resolve(name).normalize();
        if (name.startsWith("/") || !target.startsWith(dir) || name.contains("\0")) {
          throw new SociException(where + " is absolute or outside the archive's root");
        }
        if (e.isDirectory()) {
          Files.createDirectories(target);
        } else if (e.isFile()) {
          Files.createDirectories(target.getParent());
          Files.copy(tar, target);
        } else {
          throw new SociException(where + " is not a regular file or directory (links are not allowed)");
        }
      }
    } catch (IllegalArgumentException e) { // commons-compress reports malformed headers so
      throw new SociException("OCI archive " + archive + " is not a valid tar: " + e.getMessage());
    }
    if (!Files.isRegularFile(dir.resolve("oci-layout")) || !Files.isRegularFile(dir.resolve("index.json"))) {
      throw new SociException("OCI archive " + archive + " holds no OCI image layout (oci-layout and index.json)");
    }
  }

  /**
   * Writes a layout directory as an archive.
   *
   * @param dir the layout
   * @param archive the tar file to create
   * @throws IOException on failure
   */
  static void write(Path dir, Path archive) throws IOException {
    List<Path> files = new ArrayList<>(List.of(dir.resolve("oci-layout"), dir.resolve("index.json")));
    try (Stream<Path> all = Files.walk(dir.resolve("blobs"))) {
      all.sorted().forEach(files::add);
    }
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(archive), 1 << 16);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Path f : files) {
        String name = dir.relativize(f).toString().replace('\\', '/');
        boolean directory = Files.isDirectory(f);
        TarArchiveEntry e = new TarArchiveEntry(directory ? name + "/" : name);
        e.setMode(directory ? 040755 : 0100644);
        e.setModTime(0);
        if (!directory) {
          e.setSize(Files.size(f));
        }
        tar.putArchiveEntry(e);
        if (!directory) {
          try (InputStream in = Files.newInputStream(f)) {
            in.transferTo(tar);
          }
        }
        tar.closeArchiveEntry();
      }
      tar.finish();
    }
  }
}
