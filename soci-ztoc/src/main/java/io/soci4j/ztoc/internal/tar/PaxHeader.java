package io.soci4j.ztoc.internal.tar;

import io.soci4j.ztoc.PaxRecord;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The records of one PAX extended header ({@code x} or {@code g}), parsed as Go's {@code
 * parsePAX}: {@code "<length> <key>=<value>\n"} records, a later record for a key replacing an
 * earlier one, empty values kept, and GNU sparse 0.0 {@code GNU.sparse.offset} / {@code
 * GNU.sparse.numbytes} pairs folded into one {@code GNU.sparse.map} record.
 */
final class PaxHeader {
  static final String PATH = "path";
  static final String LINKPATH = "linkpath";
  static final String UNAME = "uname";
  static final String GNAME = "gname";
  static final String UID = "uid";
  static final String GID = "gid";
  static final String SIZE = "size";
  static final String MTIME = "mtime";
  static final String ATIME = "atime";
  static final String CTIME = "ctime";
  static final String GNU_SPARSE_PREFIX = "GNU.sparse.";
  private static final String GNU_SPARSE_OFFSET = "GNU.sparse.offset";
  private static final String GNU_SPARSE_NUMBYTES = "GNU.sparse.numbytes";
  private static final String GNU_SPARSE_MAP = "GNU.sparse.map";

  /** One record: raw key bytes, decoded key, raw value. */
  private record Entry(byte[] keyBytes, String key, byte[] value) {}

  private final Map<String, Entry> records;

  private PaxHeader(Map<String, Entry> records) {
    this.records = records;
  }

  /**
   * Parses the data of an extended header.
   *
   * @param data buffer holding the data
   * @param len number of data bytes
   * @return the records
   * @throws IllegalArgumentException with the reason when a record is malformed
   */
  static PaxHeader parse(byte[] data, int len) {
    Map<String, Entry> records = new HashMap<>();
    List<byte[]> sparseMap = new ArrayList<>();
    int p = 0;
    while (p < len) {
      int recordStart = p;
      int sp = indexOf(data, (byte) ' ', p, len);
      if (sp < 0) {
        throw bad(p, "no space after the length");
      }
      long n;
      try {
        n = TarNumbers.parseDecimal(data, p, sp - p);
      } catch (NumberFormatException e) {
        throw bad(p, "length is not a decimal number");
      }
      if (n < 5 || n > len - p) {
        throw bad(p, "length " + n + " is below 5 or beyond the " + (len - p) + " bytes left");
      }
      long bodyLen = n - (sp - p + 1); // key=value plus the newline
      if (bodyLen <= 0) {
        throw bad(p, "length " + n + " does not cover the length field");
      }
      int bodyStart = sp + 1;
      int nl = (int) (bodyStart + bodyLen - 1);
      if (data[nl] != '\n') {
        throw bad(p, "record does not end with a newline where its length says");
      }
      int eq = indexOf(data, (byte) '=', bodyStart, nl);
      if (eq < 0) {
        throw bad(p, "no '=' between key and value");
      }
      byte[] key = Arrays.copyOfRange(data, bodyStart, eq);
      byte[] value = Arrays.copyOfRange(data, eq + 1, nl);
      if (key.length == 0) {
        throw bad(p, "empty key");
      }
      String k = TarText.decode(key, 0, key.length);
      boolean ustarField = k.equals(PATH) || k.equals(LINKPATH) || k.equals(UNAME) || k.equals(GNAME);
      if (ustarField ? indexOf(value, (byte) 0, 0, value.length) >= 0 : indexOf(key, (byte) 0, 0, key.length) >= 0) {
        throw bad(p, "NUL byte in record '" + k + "'");
      }
      p = nl + 1;
      if (k.equals(GNU_SPARSE_OFFSET) || k.equals(GNU_SPARSE_NUMBYTES)) {
        boolean expectOffset = sparseMap.size() % 2 == 0;
        if (expectOffset != k.equals(GNU_SPARSE_OFFSET) || indexOf(value, (byte) ',', 0, value.length) >= 0) {
          throw bad(recordStart, "GNU.sparse.offset / GNU.sparse.numbytes records out of order or with a comma");
        }
        sparseMap.add(value);
      } else {
        records.put(k, new Entry(key, k, value));
      }
    }
    if (!sparseMap.isEmpty()) {
      ByteArrayOutputStream joined = new ByteArrayOutputStream();
      for (int i = 0; i < sparseMap.size(); i++) {
        if (i > 0) {
          joined.write(',');
        }
        joined.writeBytes(sparseMap.get(i));
      }
      byte[] key = GNU_SPARSE_MAP.getBytes(StandardCharsets.US_ASCII);
      records.put(GNU_SPARSE_MAP, new Entry(key, GNU_SPARSE_MAP, joined.toByteArray()));
    }
    return new PaxHeader(records);
  }

  /** {@return the raw value of a record, or null when absent} */
  byte[] get(String key) {
    Entry e = records.get(key);
    return e == null ? null : e.value;
  }

  /** {@return whether any record is a {@code GNU.sparse.*} record (a sparse file in PAX form)} */
  boolean hasGnuSparse() {
    for (String k : records.keySet()) {
      if (k.startsWith(GNU_SPARSE_PREFIX)) {
        return true;
      }
    }
    return false;
  }

  /** {@return every record, sorted by key bytes as upstream's {@code sort.Strings}} */
  List<PaxRecord> sortedRecords() {
    List<Entry> list = new ArrayList<>(records.values());
    list.sort((a, b) -> Arrays.compareUnsigned(a.keyBytes, b.keyBytes));
    List<PaxRecord> out = new ArrayList<>(list.size());
    for (Entry e : list) {
      out.add(new PaxRecord(e.key, e.value));
    }
    return out;
  }

  private static int indexOf(byte[] b, byte x, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] == x) {
        return i;
      }
    }
    return -1;
  }

  private static IllegalArgumentException bad(int recordOffset, String why) {
    return new IllegalArgumentException("invalid PAX record at byte " + recordOffset + " of the extended header: " + why);
  }
}
