package io.soci4j.registry.memory;

import io.soci4j.api.ByteSource;
import io.soci4j.api.ContentNotFoundException;
import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.api.DigestMismatchException;
import io.soci4j.api.ImageStore;
import io.soci4j.api.SociException;
import io.soci4j.registry.internal.io.VerifyingInputStream;
import io.soci4j.registry.layout.internal.ManifestSummary;
import io.soci4j.registry.layout.internal.Referrers;
import io.soci4j.registry.layout.internal.Tags;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * An {@link ImageStore} in memory: the reference implementation of the storage contract, and a
 * stand-in for a registry or layout in tests.
 *
 * <pre>{@code
 * MemoryStore store = MemoryStore.create();
 * store.push(config, configJson);
 * store.push(manifest, manifestJson);
 * store.tag(manifest, "v1");
 * Descriptor resolved = store.resolve("v1");
 * }</pre>
 *
 * <p>Content is checked against its descriptor when pushed and copied in, so what it hands out
 * always matches; reads still check the descriptor's size ({@link #open} at the end of the
 * stream). Content pushed with a manifest media type is parsed: {@link #resolve} finds it by
 * digest, and {@link #referrers} scans all such manifests (in push order) for a matching
 * {@code subject}. Thread-safe; nothing is ever removed, and {@link #close} releases nothing.
 */
public final class MemoryStore implements ImageStore {
  private final ConcurrentMap<Digest, byte[]> blobs = new ConcurrentHashMap<>();
  private final Object lock = new Object();
  /** Manifests in push order; guarded by {@link #lock}. */
  private final Map<Digest, StoredManifest> manifests = new LinkedHashMap<>();
  /** Guarded by {@link #lock}. */
  private final Map<String, Descriptor> tags = new HashMap<>();

  private record StoredManifest(Descriptor descriptor, ManifestSummary summary) {}

  private MemoryStore() {}

  /** {@return a new, empty store} */
  public static MemoryStore create() {
    return new MemoryStore();
  }

  @Override
  public Descriptor resolve(String reference) throws IOException {
    Objects.requireNonNull(reference, "reference");
    if (reference.startsWith(Digest.SHA256 + ":")) {
      Digest digest = Digest.parse(reference);
      synchronized (lock) {
        StoredManifest m = manifests.get(digest);
        if (m != null) {
          return m.descriptor();
        }
      }
      throw new ContentNotFoundException("manifest " + digest + " in memory store");
    }
    if (reference.isEmpty()) {
      throw new IllegalArgumentException("empty reference: want a tag or a digest");
    }
    synchronized (lock) {
      Descriptor d = tags.get(reference);
      if (d != null) {
        return d;
      }
    }
    throw new ContentNotFoundException("tag '" + reference + "' in memory store");
  }

  @Override
  public byte[] fetch(Descriptor descriptor) throws IOException {
    return checkedSize(descriptor).clone();
  }

  @Override
  public InputStream open(Descriptor descriptor) throws IOException {
    return new VerifyingInputStream(new ByteArrayInputStream(stored(descriptor)), descriptor, what(descriptor));
  }

  /**
   * {@inheritDoc}
   *
   * @throws ContentNotFoundException when the blob does not exist
   * @throws DigestMismatchException when the blob's size differs from the descriptor's
   */
  @Override
  public ByteSource openRange(Descriptor descriptor) throws IOException {
    return ByteSource.of(checkedSize(descriptor));
  }

  @Override
  public boolean exists(Descriptor descriptor) {
    return blobs.containsKey(descriptor.digest());
  }

  /**
   * {@inheritDoc}
   *
   * @throws SociException when a manifest is not valid JSON (nothing is stored)
   */
  @Override
  public void push(Descriptor descriptor, byte[] content) throws IOException {
    VerifyingInputStream.check(descriptor, content.length, Digest.sha256(content),
        "content pushed as " + descriptor.digest());
    ManifestSummary summary = descriptor.isManifest() ? ManifestSummary.parse(content, what(descriptor)) : null;
    blobs.putIfAbsent(descriptor.digest(), content.clone());
    if (summary != null) {
      synchronized (lock) {
        manifests.putIfAbsent(descriptor.digest(), new StoredManifest(plain(descriptor), summary));
      }
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>The stream is read into memory (unless the blob exists already) and stored as by
   * {@link #push(Descriptor, byte[])}.
   */
  @Override
  public void push(Descriptor descriptor, InputStream content) throws IOException {
    Objects.requireNonNull(content, "content");
    if (descriptor.isManifest() || !blobs.containsKey(descriptor.digest())) {
      push(descriptor, content.readAllBytes());
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException when the tag is invalid or the descriptor is not of a
   *     manifest or index
   * @throws ContentNotFoundException when the manifest is not stored
   */
  @Override
  public void tag(Descriptor manifest, String tag) throws IOException {
    Tags.check(manifest, tag);
    byte[] content = checkedSize(manifest);
    ManifestSummary summary = ManifestSummary.parse(content, what(manifest));
    synchronized (lock) {
      manifests.putIfAbsent(manifest.digest(), new StoredManifest(plain(manifest), summary));
      tags.put(tag, plain(manifest));
    }
  }

  @Override
  public List<Descriptor> referrers(Digest subject, String artifactType) {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(artifactType, "artifactType");
    List<StoredManifest> all;
    synchronized (lock) {
      all = new ArrayList<>(manifests.values());
    }
    List<Descriptor> out = new ArrayList<>();
    for (StoredManifest m : all) {
      Descriptor r = Referrers.referrer(m.descriptor(), m.summary(), subject, artifactType);
      if (r != null) {
        out.add(r);
      }
    }
    return List.copyOf(out);
  }

  @Override
  public List<String> tags(int limit) {
    synchronized (lock) {
      return tags.keySet().stream().sorted().limit(limit).toList();
    }
  }

  /** Releases nothing; the store stays usable. */
  @Override
  public void close() {}

  private byte[] stored(Descriptor d) throws ContentNotFoundException {
    byte[] b = blobs.get(d.digest());
    if (b == null) {
      throw new ContentNotFoundException(what(d));
    }
    return b;
  }

  /** The stored bytes hash to the digest (checked on push), so only the size can be wrong. */
  private byte[] checkedSize(Descriptor d) throws IOException {
    byte[] b = stored(d);
    VerifyingInputStream.check(d, b.length, d.digest(), what(d));
    return b;
  }

  private static Descriptor plain(Descriptor d) {
    return Descriptor.of(d.mediaType(), d.digest(), d.size());
  }

  private static String what(Descriptor d) {
    return (d.isManifest() ? "manifest " : "blob ") + d.digest() + " in memory store";
  }

  @Override
  public String toString() {
    return "MemoryStore[" + blobs.size() + " blobs]";
  }
}
