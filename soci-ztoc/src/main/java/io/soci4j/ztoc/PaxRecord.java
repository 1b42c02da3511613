package io.soci4j.ztoc;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One raw PAX record of a tar member, as a zTOC stores it (in its {@code xattrs} field). Values
 * are bytes: extended attribute values such as {@code security.capability} are binary.
 */
public final class PaxRecord {
  /** Prefix of records that are extended attributes. */
  public static final String XATTR_PREFIX = "SCHILY.xattr.";

  private final String key;
  private final byte[] value;

  /**
   * @param key record key, e.g. {@code path} or {@code SCHILY.xattr.user.foo}
   * @param value raw value bytes (copied)
   */
  public PaxRecord(String key, byte[] value) {
    this.key = Objects.requireNonNull(key, "key");
    this.value = value.clone();
  }

  /**
   * A record with a UTF-8 text value.
   *
   * @param key record key
   * @param value text value
   * @return the record
   */
  public static PaxRecord of(String key, String value) {
    return new PaxRecord(key, value.getBytes(StandardCharsets.UTF_8));
  }

  /** {@return the record key} */
  public String key() {
    return key;
  }

  /** {@return a copy of the raw value} */
  public byte[] value() {
    return value.clone();
  }

  /** {@return the value decoded as UTF-8 (malformed bytes replaced)} */
  public String valueAsString() {
    return new String(value, StandardCharsets.UTF_8);
  }

  /** {@return whether the record is an extended attribute ({@code SCHILY.xattr.} prefix)} */
  public boolean isXattr() {
    return key.startsWith(XATTR_PREFIX);
  }

  byte[] rawValue() {
    return value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PaxRecord r && r.key.equals(key) && Arrays.equals(r.value, value);
  }

  @Override
  public int hashCode() {
    return key.hashCode() * 31 + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return key + "=" + valueAsString();
  }
}
