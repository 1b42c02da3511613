package io.soci4j.ztoc.internal.tar;

import io.soci4j.api.LayerFormatException;
import io.soci4j.api.UnsupportedLayerException;
import io.soci4j.ztoc.EntryType;
import io.soci4j.ztoc.PaxRecord;
import io.soci4j.ztoc.TocEntry;
import java.util.List;

/**
 * Turns a member's header, plus the PAX and GNU long-name headers before it, into a TOC entry as
 * Go's {@code Reader.next} and upstream's {@code metadataFromTarReader} do.
 *
 * <p>Go's order: PAX records are merged first (empty values keep the header's value, but every
 * record is kept for the TOC), then GNU long name / long link replace name / link target, then a
 * legacy {@code '\0'} type flag becomes a directory when the name ends in {@code /}, else a
 * regular file. The size recorded is the size field (or PAX {@code size}) even for types that
 * have no data section (links, directories, devices, fifos): upstream stores {@code hdr.Size}.
 */
final class MemberAssembler {
  /** Repeated owner, group, time and link texts shared across the layer's entries. */
  private final io.soci4j.ztoc.internal.text.TextPool pool = new io.soci4j.ztoc.internal.text.TextPool();
  private static final byte[] EMPTY = new byte[0];

  private PaxHeader pax;
  private byte[] longName = EMPTY;
  private byte[] longLink = EMPTY;

  /** Records a local PAX header; as in Go it replaces an earlier one for the same member. */
  void pax(PaxHeader header) {
    pax = header;
  }

  /** Records a GNU long name ('L'): the data up to its first NUL. */
  void longName(byte[] data, int len) {
    longName = TarHeader.string(data, 0, len);
  }

  /** Records a GNU long link target ('K'): the data up to its first NUL. */
  void longLink(byte[] data, int len) {
    longLink = TarHeader.string(data, 0, len);
  }

  /**
   * Builds the entry of a member header and forgets the extension headers.
   *
   * @param h the member's own header
   * @param dataOffset offset just after it: the first data byte
   * @return the entry
   * @throws UnsupportedLayerException for a type upstream refuses or a sparse member in PAX form
   * @throws LayerFormatException for malformed PAX values or a negative size
   */
  TocEntry complete(TarHeader h, long dataOffset) throws LayerFormatException {
    PaxHeader p = pax;
    byte[] name = h.name;
    byte[] link = h.linkName;
    byte[] uname = h.uname;
    byte[] gname = h.gname;
    long size = h.size;
    long uid = h.uid;
    long gid = h.gid;
    GoTime mtime = GoTime.unix(h.modTime, 0);
    if (p != null) {
      name = text(p, PaxHeader.PATH, name);
      link = text(p, PaxHeader.LINKPATH, link);
      uname = text(p, PaxHeader.UNAME, uname);
      gname = text(p, PaxHeader.GNAME, gname);
      uid = number(p, PaxHeader.UID, uid, h, name);
      gid = number(p, PaxHeader.GID, gid, h, name);
      size = number(p, PaxHeader.SIZE, size, h, name);
      mtime = time(p, PaxHeader.MTIME, mtime, h, name);
      time(p, PaxHeader.ATIME, mtime, h, name);
      time(p, PaxHeader.CTIME, mtime, h, name);
    }
    if (longName.length > 0) {
      name = longName;
    }
    if (longLink.length > 0) {
      link = longLink;
    }
    pax = null;
    longName = EMPTY;
    longLink = EMPTY;

    String entryName = TarText.decode(name, 0, name.length);
    byte flag = h.typeFlag;
    if (flag == TypeFlags.REG_A) {
      flag = name.length > 0 && name[name.length - 1] == '/' ? TypeFlags.DIR : TypeFlags.REG;
    }
    if (size < 0) {
      // Go refuses this for members with data; for header-only types it passes and upstream would
      // store the negative size, which no TOC reader can use: refused here too.
      throw new LayerFormatException("invalid tar header: negative size " + size, -1, h.offset, entryName);
    }
    if (p != null && p.hasGnuSparse()) {
      throw new UnsupportedLayerException("unsupported sparse file in PAX form (GNU.sparse.* records); "
          + "upstream would index its data at wrong offsets", h.offset, entryName);
    }
    EntryType type = TypeFlags.entryType(flag);
    if (type == null) {
      throw new UnsupportedLayerException("unsupported input tar entry " + TypeFlags.quote(flag), h.offset,
          entryName);
    }
    List<PaxRecord> records = p == null ? List.of() : p.sortedRecords();
    return new TocEntry(entryName, type, dataOffset, size, pool.of(TarText.decode(link, 0, link.length)), h.mode,
        uid & 0xFFFF_FFFFL, gid & 0xFFFF_FFFFL, pool.of(TarText.decode(uname, 0, uname.length)),
        pool.of(TarText.decode(gname, 0, gname.length)), pool.of(mtime.marshalText()), h.devMajor, h.devMinor,
        records);
  }

  /**
   * Refuses a PAX global header as upstream does, naming it as Go reports it (its own name, or
   * its {@code path} record).
   */
  static UnsupportedLayerException refuseGlobal(TarHeader h, PaxHeader records) {
    byte[] name = text(records, PaxHeader.PATH, h.name);
    return new UnsupportedLayerException("unsupported input tar entry " + TypeFlags.quote(h.typeFlag), h.offset,
        TarText.decode(name, 0, name.length));
  }

  private static byte[] text(PaxHeader p, String key, byte[] fallback) {
    byte[] v = p.get(key);
    return v == null || v.length == 0 ? fallback : v;
  }

  private static long number(PaxHeader p, String key, long fallback, TarHeader h, byte[] name)
      throws LayerFormatException {
    byte[] v = p.get(key);
    if (v == null || v.length == 0) {
      return fallback;
    }
    try {
      return TarNumbers.parseDecimal(v);
    } catch (NumberFormatException e) {
      throw badRecord(key, e, h, name);
    }
  }

  private static GoTime time(PaxHeader p, String key, GoTime fallback, TarHeader h, byte[] name)
      throws LayerFormatException {
    byte[] v = p.get(key);
    if (v == null || v.length == 0) {
      return fallback;
    }
    try {
      return GoTime.parsePax(v);
    } catch (NumberFormatException e) {
      throw badRecord(key, e, h, name);
    }
  }

  private static LayerFormatException badRecord(String key, NumberFormatException e, TarHeader h, byte[] name) {
    return new LayerFormatException("invalid PAX record '" + key + "': " + e.getMessage(), -1, h.offset,
        TarText.decode(name, 0, name.length));
  }
}
