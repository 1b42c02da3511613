package io.soci4j.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Benchmark layers built deterministically from files on this machine, cached under {@code
 * soci-bench/target/bench-data} (or {@code -Dsoci4j.bench.data=DIR}) so forks share them:
 *
 * <ul>
 *   <li>{@code jdk.tar}: a tar of the installed JDKs under {@code /usr/lib/jvm} (sorted, fixed
 *       mtimes; the running JDK when nothing is there);
 *   <li>{@code jdk-gzN.tar.gz}: it compressed by zlib at level N (what {@code gzip -N} does);
 *   <li>{@code jdk-multi.tar.gz}: it as 8 concatenated gzip members (as pigz/parallel writers do).
 * </ul>
 */
public final class BenchData {
  private BenchData() {}

  /** @return the cache directory */
  public static Path dir() {
    Path d = Path.of(System.getProperty("soci4j.bench.data", "target/bench-data"));
    try {
      Files.createDirectories(d);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return d;
  }

  /** @return the uncompressed JDK layer */
  public static Path jdkTar() {
    return cached("jdk.tar", BenchData::writeJdkTar);
  }

  /**
   * @param level zlib level 1..9
   * @return the JDK layer compressed at that level
   */
  public static Path jdkTarGz(int level) {
    return cached("jdk-gz" + level + ".tar.gz", out -> gzip(jdkTar(), out, level, 1));
  }

  /** @return the JDK layer as 8 gzip members at level 6 */
  public static Path jdkTarGzMultiMember() {
    return cached("jdk-multi.tar.gz", out -> gzip(jdkTar(), out, 6, 8));
  }

  /** Writes a benchmark file's content. */
  interface Writer {
    void write(OutputStream out) throws IOException;
  }

  private static Path cached(String name, Writer writer) {
    Path target = dir().resolve(name);
    if (Files.isRegularFile(target)) {
      return target;
    }
    try {
      Path tmp = Files.createTempFile(dir(), name, ".tmp");
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
        writer.write(out);
      } catch (IOException | RuntimeException e) {
        Files.deleteIfExists(tmp);
        throw e;
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot build benchmark layer " + target, e);
    }
  }

  private static void writeJdkTar(OutputStream out) throws IOException {
    Path root = Path.of("/usr/lib/jvm");
    if (!Files.isDirectory(root)) {
      root = Path.of(System.getProperty("java.home"));
    }
    writeTar(root, out);
  }

  /**
   * Writes a tar of a directory tree: entries sorted by path, named by their absolute path
   * without the leading slash, fixed mtimes, PAX records for long names and big numbers;
   * regular files, directories and symbolic links (links are not followed).
   *
   * @param root the directory
   * @param out where the tar goes (not closed)
   * @throws IOException on read or write failure
   */
  static void writeTar(Path root, OutputStream out) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(root)) {
      files = s.sorted().toList();
    }
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new NonClosing(out))) {
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
  }

  /**
   * Compresses a file into {@code members} concatenated gzip members at a zlib level.
   *
   * @param source the file
   * @param out where the gzip stream goes (not closed)
   * @param level zlib level 1..9
   * @param members number of members (the file split into equal parts)
   * @throws IOException on read or write failure
   */
  static void gzip(Path source, OutputStream out, int level, int members) throws IOException {
    long size = Files.size(source);
    long per = (size + members - 1) / members;
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(source)) {
      for (int m = 0; m < members; m++) {
        GZIPOutputStream gz = new GZIPOutputStream(new NonClosing(out), 1 << 16) {
          {
            def.setLevel(level);
            def.setStrategy(Deflater.DEFAULT_STRATEGY);
          }
        };
        long left = per;
        while (left > 0) {
          int n = in.read(buf, 0, (int) Math.min(buf.length, left));
          if (n < 0) {
            break;
          }
          gz.write(buf, 0, n);
          left -= n;
        }
        gz.close();
      }
    }
  }

  /** Lets a tar or gzip stream close (and finish) without closing the stream under it. */
  static final class NonClosing extends java.io.FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
