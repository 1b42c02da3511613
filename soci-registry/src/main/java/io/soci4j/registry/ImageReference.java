package io.soci4j.registry;

import io.soci4j.api.Digest;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A normalized image reference: registry, repository, and a tag and/or a digest, parsed with the
 * grammar of {@code distribution/reference} and normalized the way the docker CLI does.
 *
 * <pre>{@code
 * ImageReference ref = ImageReference.parse("ubuntu");
 * ref.registry();    // "docker.io"
 * ref.repository();  // "library/ubuntu"
 * ref.tag();         // Optional[latest]
 * ref.toString();    // "docker.io/library/ubuntu:latest"
 * ImageReference.parse("localhost:5000/app@sha256:...").digest(); // the digest
 * }</pre>
 *
 * <p>Rules: the first path component is a registry when it is {@code localhost}, contains a
 * {@code .} or {@code :}, or has an uppercase letter; otherwise the registry is {@code docker.io}
 * ({@code index.docker.io} is an alias of it), where one-component names get {@code library/}.
 * Without tag and digest the tag is {@code latest}; with both, the digest wins and the tag is
 * dropped. The repository is lowercase; a tag is at most 128 characters; {@code registry/repository}
 * is at most 255 characters (distribution 2.8 counts the registry too). Instances are immutable
 * and compare by value.
 */
public final class ImageReference {
  /** Docker Hub's registry name in references. */
  public static final String DOCKER_HUB = "docker.io";
  /** The tag used when a reference names none. */
  public static final String DEFAULT_TAG = "latest";
  /** Maximum length of {@code registry/repository}. */
  public static final int MAX_NAME_LENGTH = 255;

  private static final String COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
  private static final Pattern PATH = Pattern.compile(COMPONENT + "(?:/" + COMPONENT + ")*");
  private static final String DNS_LABEL = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
  private static final Pattern DOMAIN = Pattern.compile(
      "(?:" + DNS_LABEL + "(?:\\." + DNS_LABEL + ")*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?");
  private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
  private static final Pattern DIGEST = Pattern.compile(
      "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}");
  private static final Pattern HEX64 = Pattern.compile("[a-f0-9]{64}");

  private final String registry;
  private final String repository;
  private final String tag;
  private final Digest digest;

  private ImageReference(String registry, String repository, String tag, Digest digest) {
    this.registry = registry;
    this.repository = repository;
    this.tag = tag;
    this.digest = digest;
  }

  /**
   * Parses and normalizes a reference such as {@code ubuntu}, {@code ghcr.io/o/app:1.0},
   * {@code localhost:5000/app@sha256:...} or {@code [::1]:5000/app:tag}.
   *
   * @param text the reference
   * @return the normalized reference
   * @throws IllegalArgumentException naming what is wrong when the text is not a valid reference
   */
  public static ImageReference parse(String text) {
    Objects.requireNonNull(text, "reference");
    if (text.isEmpty()) {
      throw new IllegalArgumentException("invalid reference '': it is empty");
    }
    String rest = text;
    Digest digest = null;
    int at = rest.indexOf('@');
    if (at >= 0 && rest.indexOf('/', at) > at) {
      // user[:password]@host/repo: a digest never holds '/'. Nothing of the text is repeated,
      // as it holds a secret.
      throw new IllegalArgumentException("invalid reference: it starts with credentials (user:password@...), "
          + "which are not accepted in references and not repeated here; log in with 'docker login' or a "
          + "credential helper instead");
    }
    if (at >= 0) {
      digest = parseDigest(text, rest.substring(at + 1));
      rest = rest.substring(0, at);
    }
    String tag = null;
    int lastSlash = rest.lastIndexOf('/');
    int colon = rest.lastIndexOf(':');
    if (colon > lastSlash) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
      checkTag(text, tag);
    }
    if (rest.isEmpty()) {
      throw new IllegalArgumentException("invalid reference '" + text + "': the repository name is empty");
    }
    String registry = DOCKER_HUB;
    String path = rest;
    int slash = rest.indexOf('/');
    if (slash >= 0) {
      String first = rest.substring(0, slash);
      if (!first.contains(".") && !first.contains(":") && !first.equals(first.toLowerCase(Locale.ROOT))) {
        // Docker's grammar takes such a component for a registry host; a host without a dot or a
        // port is almost always a mistyped repository, so it is refused rather than looked up
        throw new IllegalArgumentException("invalid reference '" + text + "': '" + first + "' has capitals but "
            + "no '.' or ':', so it is neither a registry host (write e.g. " + first.toLowerCase(Locale.ROOT)
            + ".example.com or " + first.toLowerCase(Locale.ROOT) + ":5000) nor a repository name "
            + "(repository names must be lowercase)");
      }
      if (isDomain(first)) {
        registry = first;
        path = rest.substring(slash + 1);
      }
    } else if (HEX64.matcher(rest).matches()) {
      throw new IllegalArgumentException("invalid reference '" + text
          + "': a 64-character hex string is not a repository name (did you mean @sha256:" + rest + "?)");
    }
    if (tag == null && digest == null) {
      tag = DEFAULT_TAG;
    }
    return of(registry, path, digest != null ? null : tag, digest);
  }

  /**
   * A reference from its parts, normalized as {@link #parse} does.
   *
   * @param registry the registry, {@code host[:port]}; {@code index.docker.io} becomes {@code docker.io}
   * @param repository the repository path; on Docker Hub a single component gets {@code library/}
   * @param tag the tag, or null
   * @param digest the digest, or null; when given, the tag is dropped
   * @return the reference
   * @throws IllegalArgumentException when a part is invalid or both tag and digest are null
   */
  public static ImageReference of(String registry, String repository, String tag, Digest digest) {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(repository, "repository");
    if (!DOMAIN.matcher(registry).matches()) {
      throw new IllegalArgumentException("invalid registry '" + registry + "': want host[:port]");
    }
    String reg = registry.equals("index.docker.io") ? DOCKER_HUB : registry;
    String repo = reg.equals(DOCKER_HUB) && repository.indexOf('/') < 0 ? "library/" + repository : repository;
    String name = reg + "/" + repo;
    if (!repo.equals(repo.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException("invalid repository '" + repo + "' in " + name
          + ": repository names must be lowercase");
    }
    if (!PATH.matcher(repo).matches()) {
      throw new IllegalArgumentException("invalid repository '" + repo + "' in " + name
          + ": want lowercase components [a-z0-9] joined by '.', '_', '__' or '-', separated by '/'");
    }
    if (name.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException("invalid repository name " + name.substring(0, 40) + "...: "
          + name.length() + " characters, at most " + MAX_NAME_LENGTH + " allowed");
    }
    if (digest != null) {
      return new ImageReference(reg, repo, null, digest);
    }
    if (tag == null) {
      throw new IllegalArgumentException("reference " + name + " needs a tag or a digest");
    }
    checkTag(name + ":" + tag, tag);
    return new ImageReference(reg, repo, tag, null);
  }

  private static boolean isDomain(String first) {
    return first.equals("localhost") || first.contains(".") || first.contains(":");
  }

  private static void checkTag(String text, String tag) {
    if (!TAG.matcher(tag).matches()) {
      String why = tag.isEmpty() ? "it is empty"
          : tag.length() > 128 ? tag.length() + " characters, at most 128 allowed"
          : "want [A-Za-z0-9_] then up to 127 of [A-Za-z0-9_.-]";
      throw new IllegalArgumentException("invalid tag '" + abbreviate(tag) + "' in '" + abbreviate(text) + "': " + why);
    }
  }

  private static Digest parseDigest(String text, String digest) {
    if (!DIGEST.matcher(digest).matches()) {
      throw new IllegalArgumentException("invalid digest '" + abbreviate(digest) + "' in '" + abbreviate(text)
          + "': want algorithm:hex, e.g. sha256:<64 hex>");
    }
    try {
      return Digest.parse(digest);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid digest in '" + abbreviate(text) + "': " + e.getMessage(), e);
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 160 ? s : s.substring(0, 150) + "...";
  }

  /** {@return the registry, {@code host[:port]}; {@code docker.io} for Docker Hub} */
  public String registry() {
    return registry;
  }

  /** {@return the repository path, e.g. {@code library/ubuntu}} */
  public String repository() {
    return repository;
  }

  /** {@return the tag; empty when the reference has a digest} */
  public Optional<String> tag() {
    return Optional.ofNullable(tag);
  }

  /** {@return the digest; empty when the reference names a tag} */
  public Optional<Digest> digest() {
    return Optional.ofNullable(digest);
  }

  /** {@return the digest text when there is a digest, else the tag: what goes after {@code /manifests/}} */
  public String reference() {
    return digest != null ? digest.toString() : tag;
  }

  /**
   * @param newDigest the digest
   * @return the same repository at this digest (no tag)
   */
  public ImageReference withDigest(Digest newDigest) {
    return new ImageReference(registry, repository, null, Objects.requireNonNull(newDigest, "digest"));
  }

  /**
   * @param newTag the tag
   * @return the same repository at this tag (no digest)
   * @throws IllegalArgumentException when the tag is invalid
   */
  public ImageReference withTag(String newTag) {
    return of(registry, repository, Objects.requireNonNull(newTag, "tag"), null);
  }

  /**
   * The host to send API requests to: {@code registry-1.docker.io} for Docker Hub, else the
   * registry itself.
   *
   * @return {@code host[:port]}
   */
  public String apiHost() {
    return registry.equals(DOCKER_HUB) ? "registry-1.docker.io" : registry;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImageReference r && registry.equals(r.registry) && repository.equals(r.repository)
        && Objects.equals(tag, r.tag) && Objects.equals(digest, r.digest);
  }

  @Override
  public int hashCode() {
    return Objects.hash(registry, repository, tag, digest);
  }

  /** {@return {@code registry/repository:tag} or {@code registry/repository@digest}} */
  @Override
  public String toString() {
    return registry + "/" + repository + (digest != null ? "@" + digest : ":" + tag);
  }
}
