package io.soci4j.registry.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.soci4j.api.SociException;
import io.soci4j.registry.internal.auth.Scope;
import io.soci4j.registry.internal.auth.ScopeSet;
import io.soci4j.registry.internal.model.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.Response;

/**
 * One page of {@code GET /v2/<name>/tags/list}: the tags, and the next page from the {@code Link}
 * header. A 404 (no such repository yet) is an empty last page.
 */
public final class TagsPage implements Operation<TagsPage.Page> {
  /** Largest page body accepted. */
  private static final long LIMIT = 4 << 20;

  /**
   * @param tags the tags on this page
   * @param next the next page, or null
   */
  public record Page(List<String> tags, HttpUrl next) {}

  private final Endpoint endpoint;
  private final String repository;
  private final HttpUrl url;

  /**
   * @param endpoint the registry
   * @param repository the repository
   * @param url this page's URL
   */
  public TagsPage(Endpoint endpoint, String repository, HttpUrl url) {
    this.endpoint = endpoint;
    this.repository = repository;
    this.url = url;
  }

  private String what() {
    return "tags of " + endpoint.registry() + "/" + repository;
  }

  @Override
  public RegistryRequest request() {
    return RegistryRequest.of("list", what(), endpoint, repository, "GET", url, ScopeSet.of(Scope.pull(repository)));
  }

  @Override
  public boolean accepts(int status) {
    return status == 200 || status == 404;
  }

  @Override
  public Page handle(Response response) throws IOException {
    if (response.code() == 404) {
      return new Page(List.of(), null);
    }
    JsonNode root = Json.tree(Bodies.readAtMost(response.body(), LIMIT, what()));
    JsonNode tags = root == null ? null : root.get("tags");
    List<String> out = new ArrayList<>();
    if (tags != null && !tags.isNull()) {
      if (!tags.isArray()) {
        throw new SociException(what() + ": \"tags\" is not an array");
      }
      tags.forEach(t -> out.add(t.asText()));
    }
    String next = LinkHeader.next(response.headers("Link"));
    return new Page(out, next == null ? null : response.request().url().resolve(next));
  }
}
