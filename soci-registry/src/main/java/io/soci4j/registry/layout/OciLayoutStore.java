package io.soci4j.registry.layout;

import io.soci4j.api.ByteSource;
import io.soci4j.api.ContentNotFoundException;
import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.api.DigestMismatchException;
import io.soci4j.api.ImageStore;
import io.soci4j.api.MediaTypes;
import io.soci4j.api.SociException;
import io.soci4j.registry.internal.io.VerifyingInputStream;
import io.soci4j.registry.layout.internal.BlobFiles;
import io.soci4j.registry.layout.internal.IndexEntry;
import io.soci4j.registry.layout.internal.IndexFile;
import io.soci4j.registry.layout.internal.LayoutDirectory;
import io.soci4j.registry.layout.internal.ManifestSummary;
import io.soci4j.registry.layout.internal.ManifestWalk;
import io.soci4j.registry.layout.internal.Referrers;
import io.soci4j.registry.layout.internal.Tags;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An {@link ImageStore} over an OCI image layout directory: {@code oci-layout},
 * {@code index.json} (an image index whose descriptors carry tags in the
 * {@code org.opencontainers.image.ref.name} annotation, one descriptor per tag, as skopeo writes
 * them) and {@code blobs/sha256/<hex>}.
 *
 * <pre>{@code
 * try (ImageStore layout = OciLayoutStore.open(Path.of("build/image"))) {
 *   layout.push(layerDescriptor, layerStream);
 *   layout.push(configDescriptor, configJson);
 *   layout.push(manifestDescriptor, manifestJson);
 *   layout.tag(manifestDescriptor, "v1");   // then: skopeo copy oci:build/image:v1 docker://...
 * }
 * }</pre>
 *
 * <p><b>Writes are atomic.</b> Blobs and {@code index.json} are written to a temporary file
 * {@code .soci4j-*.tmp} in the layout directory, forced to disk, and renamed into place: readers
 * never see half-written files, and concurrent pushes of the same blob all succeed. Tagging and
 * registering referrers read, change and rewrite {@code index.json} holding a lock: a JVM-wide
 * lock per directory plus a file lock on {@code index.json.lock}, so other processes using this
 * class do not lose updates (tools that ignore the lock, such as skopeo, can still race).
 *
 * <p><b>Reads are verified.</b> {@link #fetch} checks size and digest; {@link #open} checks them
 * when the stream ends; {@link #openRange} checks the size.
 *
 * <p><b>Referrers.</b> A pushed manifest that has a {@code subject} is listed in
 * {@code index.json} without a tag (unless already listed), so that it stays reachable from the
 * layout's entry point. {@link #referrers} reads every manifest reachable from
 * {@code index.json} (entries, and recursively the children of listed indexes) and returns those
 * whose subject is the given digest: its cost is one file read and JSON parse per reachable
 * manifest, on every call. Manifests in {@code blobs/} that nothing in {@code index.json}
 * reaches are not found.
 *
 * <p>{@link #resolve} takes a tag (an exact match of the ref name annotation) or a digest; a
 * digest that {@code index.json} does not list is resolved from the blob itself, by its
 * {@code mediaType} field or its shape. Instances are thread-safe; {@link #close} releases
 * nothing, as no file stays open between calls.
 */
public final class OciLayoutStore implements ImageStore {
  /** Blobs larger than this are not considered when resolving a digest (the registries' 4 MiB). */
  private static final long MAX_MANIFEST = 4 << 20;

  private final Path root;
  private final BlobFiles blobs;
  private final IndexFile index;
  private final boolean readOnly;

  private OciLayoutStore(Path root, boolean readOnly) {
    this.root = root;
    this.blobs = new BlobFiles(root);
    this.index = new IndexFile(root);
    this.readOnly = readOnly;
  }

  /**
   * Opens the layout in {@code directory}, creating a new empty layout when the directory is
   * missing or empty.
   *
   * @param directory the layout directory
   * @return the store
   * @throws SociException when the directory holds other files but no {@code oci-layout}, or its
   *     {@code oci-layout} names an unsupported version
   * @throws IOException when it cannot be read or created
   */
  public static OciLayoutStore open(Path directory) throws IOException {
    return new OciLayoutStore(LayoutDirectory.openOrCreate(Objects.requireNonNull(directory, "directory")), false);
  }

  /**
   * Opens an existing layout for reading only: nothing in the directory is ever created or
   * changed (no lock file either); {@link #push} and {@link #tag} fail.
   *
   * @param directory the layout directory
   * @return the store
   * @throws ContentNotFoundException when the directory does not exist
   * @throws SociException when it is not an OCI image layout, or of an unsupported version
   * @throws IOException when it cannot be read
   */
  public static OciLayoutStore openReadOnly(Path directory) throws IOException {
    return new OciLayoutStore(LayoutDirectory.openExisting(Objects.requireNonNull(directory, "directory")), true);
  }

  /** {@return whether this store was opened read-only} */
  public boolean isReadOnly() {
    return readOnly;
  }

  private void checkWritable(String what) throws SociException {
    if (readOnly) {
      throw new SociException("cannot " + what + ": OCI layout " + root + " is opened read-only");
    }
  }

  /** {@return the layout directory (its real path)} */
  public Path directory() {
    return root;
  }

  /**
   * {@inheritDoc}
   *
   * @throws SociException when {@code index.json} names the tag more than once, or is malformed
   */
  @Override
  public Descriptor resolve(String reference) throws IOException {
    Objects.requireNonNull(reference, "reference");
    if (reference.startsWith(Digest.SHA256 + ":")) {
      return resolveDigest(Digest.parse(reference));
    }
    if (reference.isEmpty()) {
      throw new IllegalArgumentException("empty reference: want a tag or a digest");
    }
    List<IndexEntry> named = new ArrayList<>();
    for (IndexEntry e : index.read().entries(index.where())) {
      if (e.refName().equals(reference)) {
        named.add(e);
      }
    }
    if (named.isEmpty()) {
      throw new ContentNotFoundException("tag '" + reference + "' in OCI layout " + root);
    }
    if (named.size() > 1) {
      throw new SociException(index.where() + " names tag '" + reference + "' " + named.size() + " times");
    }
    return named.get(0).descriptor();
  }

  private Descriptor resolveDigest(Digest digest) throws IOException {
    for (IndexEntry e : index.read().entries(index.where())) {
      if (e.digest().equals(digest) && MediaTypes.isManifest(e.mediaType())) {
        return e.descriptor();
      }
    }
    String what = "manifest " + digest + " in OCI layout " + root;
    long size = blobs.size(digest);
    if (size < 0 || size > MAX_MANIFEST) {
      throw new ContentNotFoundException(what);
    }
    byte[] bytes = blobs.fetch(Descriptor.of(MediaTypes.OCI_MANIFEST, digest, size));
    String mediaType;
    try {
      mediaType = ManifestSummary.parse(bytes, what).manifestMediaType().orElse(null);
    } catch (SociException notJson) {
      mediaType = null;
    }
    if (mediaType == null) {
      throw new ContentNotFoundException(what + " (a blob with that digest exists but is not a manifest)");
    }
    return Descriptor.of(mediaType, digest, size);
  }

  @Override
  public byte[] fetch(Descriptor descriptor) throws IOException {
    return blobs.fetch(descriptor);
  }

  @Override
  public InputStream open(Descriptor descriptor) throws IOException {
    return blobs.open(descriptor);
  }

  /**
   * {@inheritDoc}
   *
   * @throws ContentNotFoundException when the blob does not exist
   * @throws DigestMismatchException when the blob's size differs from the descriptor's
   */
  @Override
  public ByteSource openRange(Descriptor descriptor) throws IOException {
    return blobs.openRange(descriptor);
  }

  @Override
  public boolean exists(Descriptor descriptor) {
    return blobs.exists(descriptor.digest());
  }

  /**
   * {@inheritDoc}
   *
   * <p>A manifest with a {@code subject} is also listed untagged in {@code index.json}.
   *
   * @throws SociException when a manifest is not valid JSON (nothing is stored)
   */
  @Override
  public void push(Descriptor descriptor, byte[] content) throws IOException {
    checkWritable("push " + descriptor.digest());
    VerifyingInputStream.check(descriptor, content.length, Digest.sha256(content),
        "content pushed as " + descriptor.digest());
    ManifestSummary manifest = descriptor.isManifest() ? ManifestSummary.parse(content, what(descriptor)) : null;
    if (!blobs.exists(descriptor.digest())) {
      blobs.write(descriptor.digest(), content);
    }
    if (manifest != null) {
      register(descriptor, manifest);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>A blob that exists already is not read again. Manifests are read into memory and
   * stored as by {@link #push(Descriptor, byte[])}.
   *
   * @throws SociException when a manifest is not valid JSON (nothing is stored)
   */
  @Override
  public void push(Descriptor descriptor, InputStream content) throws IOException {
    Objects.requireNonNull(content, "content");
    checkWritable("push " + descriptor.digest());
    if (descriptor.isManifest()) {
      push(descriptor, content.readAllBytes());
    } else if (!blobs.exists(descriptor.digest())) {
      blobs.write(descriptor, content);
    }
  }

  private void register(Descriptor manifest, ManifestSummary summary) throws IOException {
    if (summary.subjectDigest().isPresent()) {
      Descriptor plain = Descriptor.of(manifest.mediaType(), manifest.digest(), manifest.size());
      index.update(doc -> doc.addUntagged(plain));
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
    checkWritable("tag " + tag);
    if (!blobs.exists(manifest.digest())) {
      throw new ContentNotFoundException(what(manifest));
    }
    Descriptor plain = Descriptor.of(manifest.mediaType(), manifest.digest(), manifest.size());
    index.update(doc -> doc.tag(plain, tag));
  }

  /**
   * {@inheritDoc}
   *
   * <p>Reads every manifest reachable from {@code index.json} (see the class comment for the
   * cost); descriptors whose blob is missing are skipped, as a layout may lack blobs.
   *
   * @throws DigestMismatchException when a reachable manifest is corrupt
   */
  @Override
  public List<Descriptor> referrers(Digest subject, String artifactType) throws IOException {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(artifactType, "artifactType");
    List<Descriptor> out = new ArrayList<>();
    List<Descriptor> roots = new ArrayList<>();
    for (IndexEntry e : index.read().entries(index.where())) {
      roots.add(e.descriptor());
    }
    new ManifestWalk(blobs, root).walk(roots, (d, summary) -> {
      Descriptor r = Referrers.referrer(d, summary, subject, artifactType);
      if (r != null) {
        out.add(r);
      }
    });
    return List.copyOf(out);
  }

  /** {@inheritDoc} The ref names of {@code index.json}'s entries, in its order. */
  @Override
  public List<String> tags(int limit) throws IOException {
    List<String> out = new ArrayList<>();
    for (IndexEntry e : index.read().entries(index.where())) {
      if (!e.refName().isEmpty() && out.size() < limit && !out.contains(e.refName())) {
        out.add(e.refName());
      }
    }
    return out;
  }

  /** Releases nothing: no file stays open between calls. The store stays usable. */
  @Override
  public void close() {}

  private String what(Descriptor d) {
    return "manifest " + d.digest() + " in OCI layout " + root;
  }

  @Override
  public String toString() {
    return "OciLayoutStore[" + root + "]";
  }
}
