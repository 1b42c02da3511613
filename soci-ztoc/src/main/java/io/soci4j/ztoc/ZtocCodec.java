package io.soci4j.ztoc;

import io.soci4j.api.ZtocFormatException;

/**
 * Reads and writes zTOC blobs: the flatbuffers format of upstream soci-snapshotter (SOCI format
 * spec §2).
 *
 * <pre>{@code
 * Ztoc ztoc = ZtocCodec.parse(Files.readAllBytes(path));
 * byte[] same = ZtocCodec.serialize(ztoc); // identical to what upstream writes
 * }</pre>
 *
 * <p>{@link #serialize} writes exactly the bytes upstream's Go code writes for the same zTOC, so
 * digests match. {@link #parse} accepts untrusted bytes: it checks every offset and length before
 * reading and every value against the rest of the zTOC, and reports any problem as a {@link
 * ZtocFormatException} naming the field and byte offset.
 */
public final class ZtocCodec {
  private ZtocCodec() {}

  /**
   * Writes a zTOC as upstream does: same field order, same omitted defaults, PAX records sorted by
   * key, so the same zTOC gives the same bytes and digest.
   *
   * <p>As upstream, {@code uid} and {@code gid} are written as their low 32 bits, and the
   * checkpoint blob as it is (it is not validated).
   *
   * @param ztoc the zTOC
   * @return its flatbuffers bytes
   * @throws IllegalArgumentException when a text field holds a lone surrogate that stands for no
   *     byte (see {@link TocEntry})
   */
  public static byte[] serialize(Ztoc ztoc) {
    return ZtocWriter.write(ztoc);
  }

  /**
   * The bytes of {@link #serialize} without copying them out of the flatbuffers builder: a
   * read-only buffer from its position to its limit. For a large zTOC (hundreds of thousands of
   * entries) this halves the memory serializing needs; write it with a channel, or hash and push
   * it from there.
   *
   * @param ztoc the zTOC
   * @return its flatbuffers bytes
   * @throws IllegalArgumentException as {@link #serialize}
   */
  public static java.nio.ByteBuffer serializeToBuffer(Ztoc ztoc) {
    return ZtocWriter.writeToBuffer(ztoc);
  }

  /**
   * Reads and validates a zTOC. Beyond the flatbuffers structure it checks: version {@code 0.9};
   * required fields (version, toc, compression_info, span_digests, checkpoints) present; sizes
   * not negative (layer size positive); a known compression algorithm; {@code max_span_id + 1}
   * span digests, each {@code sha256:<64 lowercase hex>}; a checkpoint blob that its format's
   * codec accepts for those sizes and that span count, with span 0 at uncompressed offset 0; known
   * entry types; each entry's data
   * inside the tar stream; entries in tar order without overlapping data; no PAX key twice.
   *
   * @param bytes the zTOC blob (not modified, not kept)
   * @return the zTOC
   * @throws ZtocFormatException when anything is malformed, naming the field and byte offset
   */
  public static Ztoc parse(byte[] bytes) throws ZtocFormatException {
    return ZtocReader.read(bytes);
  }
}
