package io.soci4j.ztoc.internal.tar;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Writes tar streams byte by byte, including malformed ones, for parser tests. */
final class TarBuilder {
  /** Header layouts by magic. */
  enum Format { V7, USTAR, GNU, STAR }

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** A header block under construction; numeric fields are written in octal unless overwritten. */
  static final class Header {
    final byte[] b = new byte[512];
    private boolean checksumSet;

    Header(Format format, String name, char type, long size) {
      text(0, 100, name);
      octal(100, 8, 0644);
      octal(108, 8, 0);
      octal(116, 8, 0);
      octal(124, 12, size);
      octal(136, 12, 1_700_000_000L);
      b[156] = (byte) type;
      switch (format) {
        case USTAR -> {
          text(257, 6, "ustar\0");
          text(263, 2, "00");
        }
        case GNU -> {
          text(257, 6, "ustar ");
          text(263, 2, " \0");
        }
        case STAR -> {
          text(257, 6, "ustar\0");
          text(263, 2, "00");
          text(508, 4, "tar\0");
        }
        case V7 -> { }
      }
    }

    Header text(int off, int len, String s) {
      return bytes(off, len, s.getBytes(StandardCharsets.UTF_8));
    }

    Header bytes(int off, int len, byte[] v) {
      if (v.length > len) {
        throw new IllegalArgumentException("field too small");
      }
      Arrays.fill(b, off, off + len, (byte) 0);
      System.arraycopy(v, 0, b, off, v.length);
      return this;
    }

    Header octal(int off, int len, long v) {
      String s = Long.toOctalString(v);
      StringBuilder sb = new StringBuilder();
      for (int i = s.length(); i < len - 1; i++) {
        sb.append('0');
      }
      return text(off, len, sb.append(s).toString());
    }

    /** GNU base-256: two's complement big-endian with the top bit of the first byte set. */
    Header base256(int off, int len, long v) {
      for (int i = len - 1; i >= 0; i--) {
        b[off + i] = (byte) v;
        v >>= 8;
      }
      b[off] |= (byte) 0x80;
      return this;
    }

    Header linkName(String s) {
      return text(157, 100, s);
    }

    Header owner(String uname, String gname) {
      return text(265, 32, uname).text(297, 32, gname);
    }

    Header devices(long major, long minor) {
      return octal(329, 8, major).octal(337, 8, minor);
    }

    Header prefix(String s) {
      return text(345, 155, s);
    }

    Header mtime(long seconds) {
      return octal(136, 12, seconds);
    }

    Header checksum(long value) {
      octal(148, 7, value);
      b[155] = ' ';
      checksumSet = true;
      return this;
    }

    long unsignedSum() {
      long sum = 0;
      for (int i = 0; i < 512; i++) {
        sum += i >= 148 && i < 156 ? ' ' : b[i] & 0xFF;
      }
      return sum;
    }

    long signedSum() {
      long sum = 0;
      for (int i = 0; i < 512; i++) {
        sum += i >= 148 && i < 156 ? ' ' : b[i];
      }
      return sum;
    }

    byte[] block() {
      if (!checksumSet) {
        checksum(unsignedSum());
        checksumSet = false;
      }
      return b.clone();
    }
  }

  static Header header(String name, char type, long size) {
    return new Header(Format.USTAR, name, type, size);
  }

  static Header header(Format format, String name, char type, long size) {
    return new Header(format, name, type, size);
  }

  /** A PAX record with its length prefix. */
  static byte[] paxRecord(String key, byte[] value) {
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    int body = k.length + value.length + 3; // ' ', '=', '\n'
    int len = body + Integer.toString(body).length();
    if (Integer.toString(len).length() != Integer.toString(body).length()) {
      len++;
    }
    ByteArrayOutputStream r = new ByteArrayOutputStream();
    r.writeBytes((len + " " + key + "=").getBytes(StandardCharsets.UTF_8));
    r.writeBytes(value);
    r.write('\n');
    return r.toByteArray();
  }

  static byte[] paxRecord(String key, String value) {
    return paxRecord(key, value.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream r = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      r.writeBytes(p);
    }
    return r.toByteArray();
  }

  TarBuilder add(Header h) {
    out.writeBytes(h.block());
    return this;
  }

  /** Data bytes followed by zero padding to the next block. */
  TarBuilder data(byte[] d) {
    out.writeBytes(d);
    out.writeBytes(new byte[-d.length & 511]);
    return this;
  }

  /** A regular member with data. */
  TarBuilder file(String name, byte[] d) {
    return add(header(name, '0', d.length)).data(d);
  }

  /** A local PAX header ('x') with the given records. */
  TarBuilder pax(byte[]... records) {
    byte[] d = concat(records);
    return add(header("PaxHeaders/x", 'x', d.length)).data(d);
  }

  /** A GNU long name ('L') or long link ('K') header, NUL-terminated as GNU tar writes it. */
  TarBuilder gnuLong(char type, String value) {
    byte[] d = concat(value.getBytes(StandardCharsets.UTF_8), new byte[] {0});
    return add(header(Format.GNU, "././@LongLink", type, d.length)).data(d);
  }

  TarBuilder raw(byte[] d) {
    out.writeBytes(d);
    return this;
  }

  /** The two zero blocks ending an archive. */
  TarBuilder end() {
    out.writeBytes(new byte[1024]);
    return this;
  }

  int size() {
    return out.size();
  }

  byte[] bytes() {
    return out.toByteArray();
  }
}
