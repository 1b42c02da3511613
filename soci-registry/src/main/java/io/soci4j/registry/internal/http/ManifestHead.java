package io.soci4j.registry.internal.http;

import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.api.MediaTypes;
import io.soci4j.registry.internal.auth.Scope;
import io.soci4j.registry.internal.auth.ScopeSet;
import io.soci4j.registry.internal.model.ManifestCodec;
import java.io.IOException;
import okhttp3.Response;

/**
 * {@code HEAD /v2/<name>/manifests/<reference>}: the descriptor from {@code Docker-Content-Digest},
 * {@code Content-Length} and {@code Content-Type}, or null when any is missing or odd (or, for a
 * digest reference, when the header names another digest), so the caller falls back to a GET.
 * 404 and 405 also give null: some registries answer HEAD wrongly.
 */
public final class ManifestHead implements Operation<Descriptor> {
  private final Endpoint endpoint;
  private final String repository;
  private final String reference;

  /**
   * @param endpoint the registry
   * @param repository the repository
   * @param reference a tag or digest
   */
  public ManifestHead(Endpoint endpoint, String repository, String reference) {
    this.endpoint = endpoint;
    this.repository = repository;
    this.reference = reference;
  }

  @Override
  public RegistryRequest request() {
    return RegistryRequest.of("resolve", "manifest " + reference + " in " + endpoint.registry() + "/" + repository,
        endpoint, repository, "HEAD", endpoint.manifest(repository, reference), ScopeSet.of(Scope.pull(repository)))
        .withHeader("Accept", ManifestGet.ACCEPT);
  }

  @Override
  public boolean accepts(int status) {
    return status == 200 || status == 404 || status == 405;
  }

  @Override
  public Descriptor handle(Response response) throws IOException {
    if (response.code() != 200) {
      return null;
    }
    String digestHeader = response.header("Docker-Content-Digest");
    String length = response.header("Content-Length");
    String type = response.header("Content-Type");
    if (digestHeader == null || length == null || type == null) {
      return null;
    }
    try {
      Digest digest = Digest.parse(digestHeader);
      if (reference.indexOf(':') > 0 && !digest.toString().equals(reference)) {
        return null;
      }
      String mediaType = ManifestCodec.baseType(type);
      long size = Long.parseLong(length.trim());
      return MediaTypes.isManifest(mediaType) && size > 0 ? Descriptor.of(mediaType, digest, size) : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
