package io.soci4j.api;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content digest in OCI form, {@code sha256:<64 lowercase hex>}.
 *
 * <pre>{@code
 * Digest d = Digest.parse("sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
 * Digest same = Digest.sha256("{}".getBytes(StandardCharsets.UTF_8));
 * }</pre>
 *
 * <p>Only {@code sha256} is accepted: it is the only algorithm SOCI and the registries it targets
 * use. Instances are immutable and compare by value.
 *
 * @param algorithm the algorithm name, always {@code sha256}
 * @param hex the 64 lowercase hex characters of the hash
 */
public record Digest(String algorithm, String hex) {

  /** The one supported algorithm. */
  public static final String SHA256 = "sha256";

  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  /**
   * Validates the parts.
   *
   * @param algorithm see the record component
   * @param hex see the record component
   */
  public Digest {
    if (!SHA256.equals(algorithm)) {
      throw new IllegalArgumentException("unsupported digest algorithm '" + algorithm + "', want sha256");
    }
    if (hex == null || !SHA256_HEX.matcher(hex).matches()) {
      throw new IllegalArgumentException("invalid sha256 hex '" + hex + "': want 64 lowercase hex characters");
    }
  }

  /**
   * Parses {@code sha256:<hex>}.
   *
   * @param text the digest text
   * @return the digest
   * @throws IllegalArgumentException when the text is not a valid sha256 digest
   */
  public static Digest parse(String text) {
    int colon = text == null ? -1 : text.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("invalid digest '" + text + "': want sha256:<64 hex>");
    }
    return new Digest(text.substring(0, colon), text.substring(colon + 1));
  }

  /**
   * Computes the sha256 digest of bytes.
   *
   * @param data the bytes
   * @return their digest
   */
  public static Digest sha256(byte[] data) {
    return sha256(data, 0, data.length);
  }

  /**
   * Computes the sha256 digest of a slice of bytes.
   *
   * @param data the array
   * @param offset first byte
   * @param length number of bytes
   * @return their digest
   */
  public static Digest sha256(byte[] data, int offset, int length) {
    MessageDigest md = newSha256();
    md.update(data, offset, length);
    return of(md);
  }

  /**
   * Computes the sha256 digest of the bytes remaining in a buffer; its position is not moved.
   *
   * @param data the bytes, from position to limit
   * @return their digest
   */
  public static Digest sha256(java.nio.ByteBuffer data) {
    MessageDigest md = newSha256();
    md.update(data.duplicate());
    return of(md);
  }

  /**
   * Computes the sha256 digest of everything left in a stream; does not close it.
   *
   * @param in the stream
   * @return the digest of its bytes
   * @throws IOException when reading fails
   */
  public static Digest sha256(InputStream in) throws IOException {
    MessageDigest md = newSha256();
    byte[] buf = new byte[64 * 1024];
    for (int n; (n = in.read(buf)) > 0; ) {
      md.update(buf, 0, n);
    }
    return of(md);
  }

  /**
   * Finishes a {@link MessageDigest} made by {@link #newSha256()} and wraps its result.
   *
   * @param sha256 a sha256 message digest; it is reset
   * @return the digest
   */
  public static Digest of(MessageDigest sha256) {
    if (!"SHA-256".equals(sha256.getAlgorithm())) {
      throw new IllegalArgumentException("not a SHA-256 message digest: " + sha256.getAlgorithm());
    }
    return new Digest(SHA256, HexFormat.of().formatHex(sha256.digest()));
  }

  /**
   * A new SHA-256 {@link MessageDigest}.
   *
   * @return the message digest
   */
  public static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }

  /** {@return the {@code sha256:<hex>} form} */
  @Override
  public String toString() {
    return algorithm + ":" + hex;
  }
}
