package io.soci4j.reader.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes a tar layer with commons-compress (independent of soci4j's tar parser): directories,
 * files, links, whiteouts, FIFOs; every header field set, so the same calls give the same bytes.
 * Names are written as given (PAX records for long ones); the archive is padded to 10 KiB
 * records, as GNU tar does.
 */
public final class TarBuilder {
  /** Modification time of every entry unless given. */
  public static final Instant MTIME = Instant.parse("2024-01-02T03:04:05Z");

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final TarArchiveOutputStream tar;
  private long offset;

  /** A new empty layer. */
  public TarBuilder() {
    tar = new TarArchiveOutputStream(bytes, 10240, StandardCharsets.UTF_8.name());
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
  }

  /** @param name directory name, e.g. {@code ./etc/} @param mode mode @return this */
  public TarBuilder dir(String name, int mode) {
    TarArchiveEntry e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR);
    e.setMode(mode);
    return add(e, null);
  }

  /** @param name file name @param data contents @param mode mode @return this */
  public TarBuilder file(String name, byte[] data, int mode) {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_NORMAL);
    e.setSize(data.length);
    e.setMode(mode);
    return add(e, data);
  }

  /** @param name file name @param text contents (UTF-8) @return this */
  public TarBuilder file(String name, String text) {
    return file(name, text.getBytes(StandardCharsets.UTF_8), 0644);
  }

  /**
   * A file whose name is written exactly as given, a leading {@code /} included.
   *
   * @param name file name
   * @param data contents
   * @return this
   */
  public TarBuilder rawFile(String name, byte[] data) {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_NORMAL, true);
    e.setSize(data.length);
    e.setMode(0644);
    return add(e, data);
  }

  /** @param name link name @param target link target as stored @return this */
  public TarBuilder symlink(String name, String target) {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
    e.setLinkName(target);
    e.setMode(0777);
    return add(e, null);
  }

  /** @param name link name @param target name of the linked file as stored @return this */
  public TarBuilder hardlink(String name, String target) {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK);
    e.setLinkName(target);
    e.setMode(0644);
    return add(e, null);
  }

  /**
   * @param name file name
   * @param data contents
   * @param xattrs extended attributes, written as PAX {@code SCHILY.xattr.<name>} records
   * @return this
   */
  public TarBuilder fileWithXattrs(String name, byte[] data, java.util.Map<String, String> xattrs) {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_NORMAL);
    e.setSize(data.length);
    e.setMode(0644);
    xattrs.forEach((k, v) -> e.addPaxHeader("SCHILY.xattr." + k, v));
    return add(e, data);
  }

  /** @param name device name @param major major number @param minor minor number @return this */
  public TarBuilder charDevice(String name, int major, int minor) {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_CHR);
    e.setMode(0666);
    e.setDevMajor(major);
    e.setDevMinor(minor);
    return add(e, null);
  }

  /** @param name FIFO name @return this */
  public TarBuilder fifo(String name) {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_FIFO);
    e.setMode(0644);
    return add(e, null);
  }

  /**
   * Pads with a filler file so that the data of the next file added starts at a multiple of
   * {@code alignment} in the tar stream.
   *
   * @param fillerName the filler's name (short, so it takes one header block)
   * @param nextName the name of the file that follows (short, one header block)
   * @param alignment the alignment
   * @return this
   */
  public TarBuilder alignNextFile(String fillerName, String nextName, long alignment) {
    if (fillerName.length() > 99 || nextName.length() > 99) {
      throw new IllegalArgumentException("names must fit a ustar header");
    }
    if (offset < 0) {
      throw new IllegalStateException("offsets are unknown after an entry with a long or non-ASCII name");
    }
    // filler header (512) + filler data (padded to 512) + next header (512) = next data offset
    long afterHeaders = offset + 512 + 512;
    long want = ((afterHeaders + 512 + alignment - 1) / alignment) * alignment;
    long fillerData = want - afterHeaders;
    return file(fillerName, new byte[(int) fillerData], 0644);
  }

  /** {@return the offset the next entry's header starts at, or -1 when unknown} */
  public long offset() {
    return offset;
  }

  /** {@return the finished tar} */
  public byte[] tar() {
    try {
      tar.finish();
      tar.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * @param data bytes
   * @return them gzip-compressed
   */
  public static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out, 1 << 16)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private TarBuilder add(TarArchiveEntry e, byte[] data) {
    e.setModTime(java.nio.file.attribute.FileTime.from(MTIME));
    e.setUserId(0);
    e.setGroupId(0);
    e.setUserName("root");
    e.setGroupName("root");
    try {
      tar.putArchiveEntry(e);
      if (data != null) {
        tar.write(data);
      }
      tar.closeArchiveEntry();
      boolean oneHeader = offset >= 0 && e.getName().length() < 100 && e.getLinkName().length() < 100
          && StandardCharsets.US_ASCII.newEncoder().canEncode(e.getName() + e.getLinkName());
      offset = oneHeader ? offset + 512 + (e.getSize() + 511) / 512 * 512 : -1;
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return this;
  }
}
