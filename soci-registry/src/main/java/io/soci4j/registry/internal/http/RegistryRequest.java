package io.soci4j.registry.internal.http;

import io.soci4j.registry.internal.auth.ScopeSet;
import java.util.Objects;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.RequestBody;

/**
 * One registry request as an operation describes it: what it is about (for messages), where it
 * goes, what it sends, which token scopes it needs and whether it may be retried.
 *
 * @param action what the client is doing, e.g. "fetch"
 * @param what the content, e.g. "manifest latest in localhost:5000/app"
 * @param endpoint the registry
 * @param repository the repository; empty for registry-level requests
 * @param method the HTTP method
 * @param url the URL
 * @param headers extra headers
 * @param body the body, or null
 * @param scopes the token scopes needed
 * @param retry whether it may be retried
 * @param followRedirects whether the caller follows 3xx answers (never sending credentials to another origin)
 */
public record RegistryRequest(String action, String what, Endpoint endpoint, String repository, String method,
    HttpUrl url, Headers headers, RequestBody body, ScopeSet scopes, Retry retry, boolean followRedirects) {

  /**
   * Validates.
   *
   * @param action see the record component
   * @param what see the record component
   * @param endpoint see the record component
   * @param repository see the record component
   * @param method see the record component
   * @param url see the record component
   * @param headers see the record component
   * @param body see the record component
   * @param scopes see the record component
   * @param retry see the record component
   * @param followRedirects see the record component
   */
  public RegistryRequest {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(what, "what");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(scopes, "scopes");
    Objects.requireNonNull(retry, "retry");
  }

  /**
   * A GET (or another method without body) that is idempotent and follows redirects.
   *
   * @param action see the record component
   * @param what see the record component
   * @param endpoint see the record component
   * @param repository see the record component
   * @param method see the record component
   * @param url see the record component
   * @param scopes see the record component
   * @return the request
   */
  public static RegistryRequest of(String action, String what, Endpoint endpoint, String repository, String method,
      HttpUrl url, ScopeSet scopes) {
    return new RegistryRequest(action, what, endpoint, repository, method, url, Headers.of(), null, scopes,
        Retry.IDEMPOTENT, true);
  }

  /**
   * @param name header name
   * @param value header value
   * @return a copy with the header set
   */
  public RegistryRequest withHeader(String name, String value) {
    return new RegistryRequest(action, what, endpoint, repository, method, url,
        headers.newBuilder().set(name, value).build(), body, scopes, retry, followRedirects);
  }

  /**
   * @param newBody the body
   * @return a copy with this body
   */
  public RegistryRequest withBody(RequestBody newBody) {
    return new RegistryRequest(action, what, endpoint, repository, method, url, headers, newBody, scopes, retry,
        followRedirects);
  }

  /**
   * @param newRetry the retry rule
   * @return a copy with this rule
   */
  public RegistryRequest withRetry(Retry newRetry) {
    return new RegistryRequest(action, what, endpoint, repository, method, url, headers, body, scopes, newRetry,
        followRedirects);
  }

  /**
   * @param follow whether to follow redirects
   * @return a copy with this setting
   */
  public RegistryRequest withFollowRedirects(boolean follow) {
    return new RegistryRequest(action, what, endpoint, repository, method, url, headers, body, scopes, retry, follow);
  }

  /**
   * @param newUrl the URL
   * @return a copy sent to this URL
   */
  public RegistryRequest withUrl(HttpUrl newUrl) {
    return new RegistryRequest(action, what, endpoint, repository, method, newUrl, headers, body, scopes, retry,
        followRedirects);
  }
}
