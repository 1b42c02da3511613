package io.soci4j.ztoc.testing;

import io.soci4j.api.Digest;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A large real layer built at test time, as soci-bench's {@code BenchData} does: a tar of the JDKs
 * installed under {@code /usr/lib/jvm} (the running JDK when that is missing), files sorted, fixed
 * mtimes, so the same machine always gives the same bytes.
 */
public final class JdkTar {
  private JdkTar() {}

  /**
   * Writes the tar.
   *
   * @param target the file to write
   * @return the digest of the tar (its diff ID)
   * @throws IOException on failure
   */
  public static Digest write(Path target) throws IOException {
    Path root = Path.of("/usr/lib/jvm");
    if (!Files.isDirectory(root)) {
      root = Path.of(System.getProperty("java.home"));
    }
    List<Path> files;
    try (Stream<Path> s = Files.walk(root)) {
      files = s.sorted().toList();
    }
    MessageDigest md = Digest.newSha256();
    try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(target), 1 << 20);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(new DigestOutputStream(file, md))) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      for (Path p : files) {
        String name = p.toString().substring(1);
        TarArchiveEntry e;
        if (Files.isSymbolicLink(p)) {
          e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
          e.setLinkName(Files.readSymbolicLink(p).toString());
        } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          e = new TarArchiveEntry(name + "/", TarArchiveEntry.LF_DIR);
        } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          e = new TarArchiveEntry(name);
          e.setSize(Files.size(p));
        } else {
          continue;
        }
        e.setModTime(FileTime.fromMillis(1_700_000_000_000L));
        tar.putArchiveEntry(e);
        if (e.isFile() && e.getSize() > 0) {
          try (InputStream in = Files.newInputStream(p)) {
            in.transferTo(tar);
          }
        }
        tar.closeArchiveEntry();
      }
    }
    return Digest.of(md);
  }
}
