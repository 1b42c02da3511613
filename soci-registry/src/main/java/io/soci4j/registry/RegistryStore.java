package io.soci4j.registry;

import io.soci4j.api.ByteSource;
import io.soci4j.api.ContentNotFoundException;
import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.api.DigestMismatchException;
import io.soci4j.api.ImageStore;
import io.soci4j.api.Platform;
import io.soci4j.api.SociException;
import io.soci4j.registry.internal.http.BlobGet;
import io.soci4j.registry.internal.http.BlobHead;
import io.soci4j.registry.internal.http.BlobUploader;
import io.soci4j.registry.internal.http.Endpoint;
import io.soci4j.registry.internal.http.FallbackIndexUpdater;
import io.soci4j.registry.internal.http.ManifestGet;
import io.soci4j.registry.internal.http.ManifestHead;
import io.soci4j.registry.internal.http.ManifestPut;
import io.soci4j.registry.internal.http.RegistryByteSource;
import io.soci4j.registry.internal.http.RegistryCaller;
import io.soci4j.registry.internal.http.ReferrersLister;
import io.soci4j.registry.internal.io.VerifyingInputStream;
import io.soci4j.registry.internal.model.Referrers;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One repository of one registry as an {@link ImageStore}, plus registry-only operations
 * (platform selection, mounts, pushing manifests under tags). Get one from
 * {@link RegistryClient#store(ImageReference)}.
 *
 * <pre>{@code
 * RegistryStore store = client.store(ImageReference.parse("123456789012.dkr.ecr.us-east-1.amazonaws.com/app"));
 * Descriptor image = store.resolve("v1");                 // HEAD, GET when HEAD says too little
 * List<Platform> platforms = store.platforms("v1");
 * ImageManifest manifest = store.imageManifest("v1");     // the client's platform from an index
 * ImageConfig config = ImageConfig.parse(store.fetch(manifest.config()));
 * List<Descriptor> socis = store.referrers(image.digest(), MediaTypes.SOCI_INDEX_V1);
 * }</pre>
 *
 * <p>Manifests are addressed through {@code /manifests/}, everything else through
 * {@code /blobs/}, by the descriptor's media type. Every manifest and every fetched or streamed
 * blob is checked against its digest. Pushing a manifest with a {@code subject} to a registry
 * without the referrers API updates the fallback tag {@code sha256-<hex>} (see
 * {@link #push(ManifestContent)} for what that guarantees). Thread-safe; {@link #close()} does
 * nothing (the client owns the connections).
 */
public final class RegistryStore implements ImageStore {
  private final RegistryClient client;
  private final ImageReference reference;
  private final Endpoint endpoint;
  private final String repository;
  private final RegistryCaller caller;
  private final ReferrersLister referrers;

  RegistryStore(RegistryClient client, ImageReference reference) {
    this.client = client;
    this.reference = reference;
    this.endpoint = client.endpoint(reference);
    this.repository = reference.repository();
    this.caller = client.caller();
    this.referrers = new ReferrersLister(caller, endpoint, repository, client.referrersApi(),
        RegistryClient.MAX_MANIFEST_BYTES);
  }

  /**
   * The same as {@link RegistryClient#store(ImageReference)}.
   *
   * @param client the client (owns connections, auth and options)
   * @param repository names the registry and repository; its tag or digest is not used
   * @return the store
   */
  public static RegistryStore of(RegistryClient client, ImageReference repository) {
    return client.store(repository);
  }

  /** {@return the reference this store was opened with (its registry and repository)} */
  public ImageReference reference() {
    return reference;
  }

  private String checkReference(String ref) {
    Objects.requireNonNull(ref, "reference");
    return ref.indexOf(':') > 0 ? Digest.parse(ref).toString() : reference.withTag(ref).reference();
  }

  private String name(String ref) {
    return reference.registry() + "/" + repository + (ref.indexOf(':') > 0 ? "@" : ":") + ref;
  }

  @Override
  public Descriptor resolve(String ref) throws IOException {
    String r = checkReference(ref);
    Descriptor d = caller.call(new ManifestHead(endpoint, repository, r));
    return d != null ? d : manifest(r).descriptor();
  }

  /**
   * Fetches a manifest or index by tag or digest, verified (by digest: must hash to it).
   *
   * @param ref a tag or {@code sha256:...}
   * @return the exact bytes and their descriptor
   * @throws ContentNotFoundException when there is no such manifest
   * @throws IOException on other failures
   */
  public ManifestContent manifest(String ref) throws IOException {
    return caller.call(new ManifestGet(endpoint, repository, checkReference(ref), RegistryClient.MAX_MANIFEST_BYTES));
  }

  /**
   * The image manifest for the client's platform: the manifest itself, or the one an index lists
   * for {@link RegistryClient#platform()}.
   *
   * @param ref a tag or digest
   * @return the manifest
   * @throws ContentNotFoundException when the reference or a manifest for the platform is missing
   * @throws IOException on other failures
   */
  public ImageManifest imageManifest(String ref) throws IOException {
    return imageManifest(ref, client.platform());
  }

  /**
   * The image manifest for a platform.
   *
   * @param ref a tag or digest
   * @param platform the platform to pick from an index
   * @return the manifest
   * @throws ContentNotFoundException when the reference or a manifest for the platform is missing
   * @throws IOException on other failures
   */
  public ImageManifest imageManifest(String ref, Platform platform) throws IOException {
    ManifestContent m = manifest(ref);
    if (!m.isIndex()) {
      return m.asImageManifest();
    }
    ImageIndex index = m.asImageIndex();
    Optional<Descriptor> chosen = index.select(platform);
    if (chosen.isEmpty()) {
      throw new ContentNotFoundException("manifest for platform " + platform + " in " + name(ref) + " (it has "
          + index.platforms() + ")");
    }
    return manifest(chosen.get().digest().toString()).asImageManifest();
  }

  /**
   * The platforms of an image: those an index lists, or the platform in a single manifest's config.
   *
   * @param ref a tag or digest
   * @return the platforms
   * @throws IOException on failure
   */
  public List<Platform> platforms(String ref) throws IOException {
    ManifestContent m = manifest(ref);
    if (m.isIndex()) {
      return m.asImageIndex().platforms();
    }
    return List.of(ImageConfig.parse(fetch(m.asImageManifest().config())).platform());
  }

  @Override
  public byte[] fetch(Descriptor descriptor) throws IOException {
    if (descriptor.isManifest()) {
      ManifestContent m = manifest(descriptor.digest().toString());
      VerifyingInputStream.check(descriptor, m.descriptor().size(), m.descriptor().digest(),
          "manifest " + descriptor.digest() + " in " + reference.registry() + "/" + repository);
      return m.bytes();
    }
    if (descriptor.size() > Integer.MAX_VALUE - 8) {
      throw new SociException("blob " + descriptor.digest() + " has " + descriptor.size()
          + " bytes, too many for an array: use open() or openRange()");
    }
    try (InputStream in = open(descriptor)) {
      byte[] bytes = in.readNBytes((int) descriptor.size());
      in.read(); // reaches the end: the stream verifies size and digest there, or throws
      return bytes;
    }
  }

  @Override
  public InputStream open(Descriptor descriptor) throws IOException {
    if (descriptor.isManifest()) {
      return new ByteArrayInputStream(fetch(descriptor));
    }
    return caller.call(new BlobGet(caller, endpoint, repository, descriptor));
  }

  @Override
  public ByteSource openRange(Descriptor descriptor) throws IOException {
    if (descriptor.isManifest()) {
      return ByteSource.of(fetch(descriptor));
    }
    return new RegistryByteSource(caller, endpoint, repository, descriptor);
  }

  @Override
  public boolean exists(Descriptor descriptor) throws IOException {
    if (!descriptor.isManifest()) {
      return caller.call(new BlobHead(endpoint, repository, descriptor, false));
    }
    try {
      return resolve(descriptor.digest().toString()) != null;
    } catch (ContentNotFoundException e) {
      return false;
    }
  }

  /**
   * Stores a blob, or a manifest when the media type is one (see {@link #push(ManifestContent)}).
   * A blob that exists already is not uploaded again.
   *
   * @param descriptor what the content is
   * @param content its bytes
   * @throws DigestMismatchException when the bytes do not match the descriptor
   * @throws IOException on failure
   */
  @Override
  public void push(Descriptor descriptor, byte[] content) throws IOException {
    if (descriptor.isManifest()) {
      ManifestContent m = ManifestContent.of(descriptor.mediaType(), content);
      VerifyingInputStream.check(descriptor, content.length, m.descriptor().digest(),
          "manifest to push to " + reference.registry() + "/" + repository);
      push(m);
      return;
    }
    if (!caller.call(new BlobHead(endpoint, repository, descriptor, true))) {
      uploader().upload(descriptor, content);
    }
  }

  /**
   * Stores a blob from a stream. When the blob exists already, nothing is read from the stream.
   * Manifests are read whole (at most {@link RegistryClient#MAX_MANIFEST_BYTES}) and pushed as
   * {@link #push(Descriptor, byte[])} does.
   *
   * @param descriptor what the content is
   * @param content exactly {@code descriptor.size()} bytes; not closed
   * @throws DigestMismatchException when the bytes do not match the descriptor
   * @throws IOException on failure
   */
  @Override
  public void push(Descriptor descriptor, InputStream content) throws IOException {
    if (descriptor.isManifest()) {
      if (descriptor.size() > RegistryClient.MAX_MANIFEST_BYTES) {
        throw new SociException("manifest " + descriptor.digest() + " has " + descriptor.size()
            + " bytes, more than the " + RegistryClient.MAX_MANIFEST_BYTES + " registries accept");
      }
      push(descriptor, content.readNBytes((int) descriptor.size()));
      return;
    }
    if (!caller.call(new BlobHead(endpoint, repository, descriptor, true))) {
      uploader().upload(descriptor, content);
    }
  }

  /**
   * Makes a blob of another repository of the same registry available here without uploading it
   * (a cross-repository mount).
   *
   * @param blob the blob
   * @param fromRepository the repository that has it
   * @return true when mounted; false when the registry declined (then {@link #push} it)
   * @throws IOException on transport failures
   */
  public boolean mount(Descriptor blob, String fromRepository) throws IOException {
    return uploader().mount(blob, Objects.requireNonNull(fromRepository, "fromRepository"));
  }

  /**
   * Pushes a manifest or index by digest. Its blobs (and an index's manifests) must be pushed
   * first. When it has a {@code subject} and the registry does not answer with
   * {@code OCI-Subject} (no referrers API), it is added to the fallback index under the tag
   * {@code sha256-<subject hex>} by read-modify-write: updates from this client are serialised per
   * subject and re-checked after writing, so none are lost; another client writing the same tag at
   * the same moment can still overwrite an entry (the registry offers no compare-and-swap).
   *
   * @param content the manifest
   * @return its descriptor
   * @throws IOException on failure
   */
  public Descriptor push(ManifestContent content) throws IOException {
    return push(content, content.descriptor().digest().toString());
  }

  /**
   * Pushes a manifest or index under a tag (or its digest), handling a {@code subject} as
   * {@link #push(ManifestContent)} does.
   *
   * @param content the manifest
   * @param tag the tag, or the content's digest
   * @return its descriptor
   * @throws IOException on failure
   */
  public Descriptor push(ManifestContent content, String tag) throws IOException {
    String ref = checkReference(tag);
    if (content.descriptor().size() > RegistryClient.MAX_MANIFEST_BYTES) {
      throw new SociException("manifest " + content.descriptor().digest() + " has " + content.descriptor().size()
          + " bytes, more than the " + RegistryClient.MAX_MANIFEST_BYTES + " registries accept");
    }
    if (ref.indexOf(':') > 0 && !ref.equals(content.descriptor().digest().toString())) {
      throw new IllegalArgumentException("cannot push manifest " + content.descriptor().digest() + " as " + ref);
    }
    Optional<Referrers.Reference> subject = Referrers.of(content);
    boolean ociSubject = caller.call(new ManifestPut(endpoint, repository, ref, content));
    if (subject.isPresent()) {
      if (ociSubject) {
        client.referrersApi().put(reference.registry() + "/" + repository, true);
      } else {
        new FallbackIndexUpdater(caller, endpoint, repository, referrers, client.referrerLocks())
            .add(subject.get().subject().digest(), subject.get().referrer());
      }
    }
    return content.descriptor();
  }

  @Override
  public void tag(Descriptor manifest, String tag) throws IOException {
    String ref = checkReference(tag);
    ManifestContent m = manifest(manifest.digest().toString());
    caller.call(new ManifestPut(endpoint, repository, ref, m));
  }

  @Override
  public List<Descriptor> referrers(Digest subject, String artifactType) throws IOException {
    return referrers.list(Objects.requireNonNull(subject, "subject"), Objects.requireNonNull(artifactType,
        "artifactType"));
  }

  private BlobUploader uploader() {
    return new BlobUploader(caller, endpoint, repository, client.uploadChunkSize());
  }

  /** Does nothing: the {@link RegistryClient} owns the connections. */
  /**
   * {@inheritDoc} Reads {@code /v2/<name>/tags/list} page by page (at most {@value
   * io.soci4j.registry.internal.http.ReferrersLister#MAX_PAGES} pages; a repeated page is an
   * error); a repository that does not exist has no tags.
   */
  @Override
  public List<String> tags(int limit) throws IOException {
    List<String> out = new ArrayList<>();
    java.util.Set<okhttp3.HttpUrl> seen = new java.util.HashSet<>();
    okhttp3.HttpUrl url = endpoint.tags(repository, Math.max(1, Math.min(limit, 1000)));
    while (url != null && out.size() < limit) {
      if (!seen.add(url) || seen.size() > io.soci4j.registry.internal.http.ReferrersLister.MAX_PAGES) {
        throw new io.soci4j.api.SociException("tags of " + reference.registry() + "/" + repository
            + ": the pages loop or never end");
      }
      io.soci4j.registry.internal.http.TagsPage.Page page =
          caller.call(new io.soci4j.registry.internal.http.TagsPage(endpoint, repository, url));
      page.tags().stream().limit(limit - out.size()).forEach(out::add);
      url = page.next();
    }
    return out;
  }

  @Override
  public void close() {}

  @Override
  public String toString() {
    return "RegistryStore[" + reference.registry() + "/" + repository + "]";
  }
}
