package io.soci4j.api;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * One repository of images and artifacts: a registry repository, an OCI image layout directory,
 * or memory. Everything above storage (the SOCI index builder, the image reader) talks only to
 * this interface.
 *
 * <pre>{@code
 * try (ImageStore store = ...) {
 *   Descriptor manifest = store.resolve("latest");
 *   byte[] json = store.fetch(manifest);
 *   try (ByteSource layer = store.openRange(layerDescriptor)) {
 *     byte[] head = layer.read(0, 512);
 *   }
 * }
 * }</pre>
 *
 * <p>Manifests and indexes (see {@link MediaTypes#isManifest}) and blobs share one digest space;
 * implementations route by the descriptor's media type. Every byte handed out is verified against
 * its digest (whole fetches and streams at their end; range reads cannot be, and callers verify
 * them, e.g. against span digests). Implementations are thread-safe.
 */
public interface ImageStore extends Closeable {

  /**
   * Resolves a tag or a digest to the descriptor of the manifest or index it names.
   *
   * @param reference a tag ({@code latest}) or a digest ({@code sha256:...})
   * @return the descriptor: media type, digest and size of the manifest
   * @throws ContentNotFoundException when nothing has that name
   * @throws IOException on other failures
   */
  Descriptor resolve(String reference) throws IOException;

  /**
   * Fetches content whole and verifies its digest and size. Meant for manifests, configs and
   * other small blobs; implementations may refuse content above a size limit.
   *
   * @param descriptor what to fetch
   * @return the bytes
   * @throws ContentNotFoundException when it does not exist
   * @throws DigestMismatchException when the bytes do not match the descriptor
   * @throws IOException on other failures
   */
  byte[] fetch(Descriptor descriptor) throws IOException;

  /**
   * Streams a blob. The digest is verified when the stream reaches its end: the last read throws
   * {@link DigestMismatchException} instead of returning end-of-stream on a mismatch.
   *
   * @param descriptor the blob
   * @return a stream of its bytes; close it
   * @throws ContentNotFoundException when it does not exist
   * @throws IOException on other failures
   */
  InputStream open(Descriptor descriptor) throws IOException;

  /**
   * Random access to a blob (HTTP range requests for registries).
   *
   * @param descriptor the blob
   * @return a byte source of {@code descriptor.size()} bytes; close it
   * @throws IOException when it cannot be opened
   */
  ByteSource openRange(Descriptor descriptor) throws IOException;

  /**
   * Whether content exists.
   *
   * @param descriptor what to look for
   * @return true when the store has it
   * @throws IOException on failure
   */
  boolean exists(Descriptor descriptor) throws IOException;

  /**
   * Stores content (a blob, or a manifest when the media type is one), verifying it matches the
   * descriptor. Storing content that exists already is a no-op.
   *
   * @param descriptor what the content is
   * @param content its bytes
   * @throws DigestMismatchException when the bytes do not match the descriptor
   * @throws IOException on failure
   */
  void push(Descriptor descriptor, byte[] content) throws IOException;

  /**
   * Stores a blob from a stream of exactly {@code descriptor.size()} bytes, verifying its digest.
   *
   * @param descriptor what the content is
   * @param content its bytes; read to the end, not closed
   * @throws DigestMismatchException when the bytes do not match the descriptor
   * @throws IOException on failure
   */
  void push(Descriptor descriptor, InputStream content) throws IOException;

  /**
   * Points a tag at a manifest that is already stored.
   *
   * @param manifest the manifest or index
   * @param tag the tag
   * @throws IOException on failure
   */
  void tag(Descriptor manifest, String tag) throws IOException;

  /**
   * Lists the manifests whose {@code subject} is the given manifest (OCI 1.1 referrers, or the
   * fallback tag schema where the referrers API is missing).
   *
   * @param subject digest of the subject manifest
   * @param artifactType only referrers of this artifact type, or empty for all
   * @return their descriptors, with artifact type and annotations
   * @throws IOException on failure
   */
  List<Descriptor> referrers(Digest subject, String artifactType) throws IOException;

  /**
   * The tags of this repository or layout, for finding content earlier runs stored (zTOCs of
   * other SOCI-enabled images, for instance). Stores that cannot list tags return an empty list,
   * the default.
   *
   * @param limit the most tags returned
   * @return up to {@code limit} tags, in the store's order
   * @throws IOException on store failures
   */
  default List<String> tags(int limit) throws IOException {
    return List.of();
  }
}
