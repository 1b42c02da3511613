package io.soci4j.registry.internal.http;

import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.api.MediaTypes;
import io.soci4j.api.SociException;
import io.soci4j.registry.ManifestContent;
import io.soci4j.registry.internal.model.Referrers;
import java.io.IOException;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds a referrer to the fallback index under {@code sha256-<hex>} (spec "Pushing Manifests with
 * Subject" on registries without the referrers API): read the index (none: start empty), skip if
 * the descriptor is there, append it keeping all other fields, PUT it back under the tag.
 *
 * <p>Races: updates for one subject are serialised per client, so a client never loses its own
 * updates. Other clients writing the same tag at the same time can overwrite each other (the
 * registry offers no compare-and-swap: distribution 2.8 ignores {@code If-Match}); to narrow that
 * window, the tag is read back after the PUT and the update repeated when the entry is missing,
 * up to {@value #MAX_ROUNDS} times. An update that lands after that re-read can still be lost. The
 * index previously under the tag is left in the repository, untagged.
 */
public final class FallbackIndexUpdater {
  private static final Logger LOG = LoggerFactory.getLogger(FallbackIndexUpdater.class);
  /** Read-modify-write rounds before giving up. */
  static final int MAX_ROUNDS = 5;

  private final RegistryCaller caller;
  private final Endpoint endpoint;
  private final String repository;
  private final ReferrersLister lister;
  private final ConcurrentMap<String, ReentrantLock> locks;

  /**
   * @param caller runs the requests
   * @param endpoint the registry
   * @param repository the repository
   * @param lister reads the current index
   * @param locks the client's per-subject locks
   */
  public FallbackIndexUpdater(RegistryCaller caller, Endpoint endpoint, String repository, ReferrersLister lister,
      ConcurrentMap<String, ReentrantLock> locks) {
    this.caller = caller;
    this.endpoint = endpoint;
    this.repository = repository;
    this.lister = lister;
    this.locks = locks;
  }

  /**
   * @param subject the subject's digest
   * @param referrer the referrer's descriptor (media type, digest, size, artifact type, annotations)
   * @throws IOException on failure, or when the entry keeps disappearing
   */
  public void add(Digest subject, Descriptor referrer) throws IOException {
    ReentrantLock lock = locks.computeIfAbsent(lister.key() + "@" + subject, k -> new ReentrantLock());
    lock.lock();
    try {
      String tag = Referrers.fallbackTag(subject);
      for (int round = 0; round < MAX_ROUNDS; round++) {
        ManifestContent current = lister.fallbackIndex(subject);
        if (current != null && contains(current, referrer.digest())) {
          return;
        }
        byte[] updated = Referrers.append(current == null ? null : current.bytes(), referrer);
        caller.call(new ManifestPut(endpoint, repository, tag, ManifestContent.of(MediaTypes.OCI_INDEX, updated)));
        ManifestContent after = lister.fallbackIndex(subject);
        if (after != null && contains(after, referrer.digest())) {
          return;
        }
        LOG.info("the referrers tag {} in {} lost the entry for {} to a concurrent writer; adding it again", tag,
            lister.key(), referrer.digest());
      }
      throw new SociException("could not add " + referrer.digest() + " to the referrers tag " + tag + " in "
          + lister.key() + ": other writers kept replacing the index (" + MAX_ROUNDS + " attempts)");
    } finally {
      lock.unlock();
    }
  }

  private static boolean contains(ManifestContent index, Digest digest) throws IOException {
    return index.asImageIndex().manifests().stream().anyMatch(d -> d.digest().equals(digest));
  }
}
