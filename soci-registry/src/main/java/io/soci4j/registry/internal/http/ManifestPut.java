package io.soci4j.registry.internal.http;

import io.soci4j.api.Digest;
import io.soci4j.api.DigestMismatchException;
import io.soci4j.registry.ManifestContent;
import io.soci4j.registry.internal.auth.Scope;
import io.soci4j.registry.internal.auth.ScopeSet;
import java.io.IOException;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * {@code PUT /v2/<name>/manifests/<reference>} with {@code Content-Type} equal to the manifest's
 * media type. Idempotent: the same bytes under the same name. The answer's
 * {@code Docker-Content-Digest}, when present, must equal the bytes' digest; the result says
 * whether the registry sent {@code OCI-Subject} (it supports the referrers API).
 */
public final class ManifestPut implements Operation<Boolean> {
  private final Endpoint endpoint;
  private final String repository;
  private final String reference;
  private final ManifestContent content;

  /**
   * @param endpoint the registry
   * @param repository the repository
   * @param reference the tag, or the digest of the content
   * @param content the manifest
   */
  public ManifestPut(Endpoint endpoint, String repository, String reference, ManifestContent content) {
    this.endpoint = endpoint;
    this.repository = repository;
    this.reference = reference;
    this.content = content;
  }

  private String what() {
    return "manifest " + (reference.equals(content.descriptor().digest().toString()) ? reference
        : content.descriptor().digest() + " as " + reference) + " to " + endpoint.registry() + "/" + repository;
  }

  @Override
  public RegistryRequest request() {
    RequestBody body = RequestBody.create(content.bytes(), MediaType.get(content.descriptor().mediaType()));
    return RegistryRequest.of("push", what(), endpoint, repository, "PUT", endpoint.manifest(repository, reference),
        ScopeSet.of(Scope.pullPush(repository))).withBody(body);
  }

  @Override
  public boolean accepts(int status) {
    return status == 201 || status == 200 || status == 204;
  }

  @Override
  public Boolean handle(Response response) throws IOException {
    String header = response.header("Docker-Content-Digest");
    Digest ours = content.descriptor().digest();
    if (header != null) {
      Digest theirs;
      try {
        theirs = Digest.parse(header.trim());
      } catch (IllegalArgumentException e) {
        theirs = null; // another algorithm: nothing to compare
      }
      if (theirs != null && !theirs.equals(ours)) {
        throw new DigestMismatchException("stored " + what(), ours, theirs);
      }
    }
    return response.header("OCI-Subject") != null;
  }
}
