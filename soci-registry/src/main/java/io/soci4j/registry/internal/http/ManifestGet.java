package io.soci4j.registry.internal.http;

import io.soci4j.api.DigestMismatchException;
import io.soci4j.api.Digest;
import io.soci4j.registry.ManifestContent;
import io.soci4j.registry.internal.auth.Scope;
import io.soci4j.registry.internal.auth.ScopeSet;
import io.soci4j.registry.internal.model.ManifestCodec;
import java.io.IOException;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v2/<name>/manifests/<reference>} with all four manifest types in {@code Accept}.
 * The bytes are read up to a size limit and hashed; a request by digest must hash to that digest.
 * {@code Docker-Content-Digest} is only compared and logged: registries get it wrong or omit it.
 */
public final class ManifestGet implements Operation<ManifestContent> {
  private static final Logger LOG = LoggerFactory.getLogger(ManifestGet.class);
  /** The {@code Accept} header of manifest requests. */
  public static final String ACCEPT = String.join(", ", io.soci4j.api.MediaTypes.OCI_INDEX,
      io.soci4j.api.MediaTypes.DOCKER_MANIFEST_LIST, io.soci4j.api.MediaTypes.OCI_MANIFEST,
      io.soci4j.api.MediaTypes.DOCKER_MANIFEST);

  private final Endpoint endpoint;
  private final String repository;
  private final String reference;
  private final Digest expected;
  private final long limit;

  /**
   * @param endpoint the registry
   * @param repository the repository
   * @param reference a tag or digest
   * @param limit the largest manifest accepted, in bytes
   */
  public ManifestGet(Endpoint endpoint, String repository, String reference, long limit) {
    this.endpoint = endpoint;
    this.repository = repository;
    this.reference = reference;
    this.expected = reference.indexOf(':') > 0 ? Digest.parse(reference) : null;
    this.limit = limit;
  }

  /** {@return "manifest REF in REGISTRY/REPO"} */
  String what() {
    return "manifest " + reference + " in " + endpoint.registry() + "/" + repository;
  }

  @Override
  public RegistryRequest request() {
    return RegistryRequest.of("fetch", what(), endpoint, repository, "GET", endpoint.manifest(repository, reference),
        ScopeSet.of(Scope.pull(repository))).withHeader("Accept", ACCEPT);
  }

  @Override
  public boolean accepts(int status) {
    return status == 200;
  }

  @Override
  public ManifestContent handle(Response response) throws IOException {
    byte[] bytes = Bodies.readAtMost(response.body(), limit, what());
    Digest actual = Digest.sha256(bytes);
    if (expected != null && !expected.equals(actual)) {
      throw new DigestMismatchException(what(), expected, actual);
    }
    String header = response.header("Docker-Content-Digest");
    if (header != null && !header.equals(actual.toString())) {
      LOG.debug("{}: Docker-Content-Digest {} differs from the digest of the bytes, {}; ignoring the header",
          what(), header, actual);
    }
    String mediaType = ManifestCodec.detectMediaType(bytes, response.header("Content-Type"), what());
    return ManifestContent.of(mediaType, bytes);
  }
}
