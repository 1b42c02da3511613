package io.soci4j.registry.internal.auth;

import java.io.IOException;
import okhttp3.HttpUrl;

/**
 * Which token server URLs a challenge may send us to: https only, unless the registry itself is
 * plain http; and no loopback, private or link-local IP literal unless the registry is on such an
 * address too (a server-side request forgery guard, like go-containerregistry's).
 */
final class RealmPolicy {
  private RealmPolicy() {}

  static HttpUrl check(String realm, HttpUrl registry) throws IOException {
    HttpUrl url = HttpUrl.parse(realm);
    if (url == null) {
      throw new IOException("the auth challenge of " + Origins.of(registry) + " names an invalid realm URL");
    }
    if (!url.isHttps() && registry.isHttps()) {
      throw new IOException("refusing the plain-http token realm " + Origins.withoutQuery(url) + " of the https registry "
          + Origins.of(registry));
    }
    if (Origins.isLocalAddress(url.host()) && !Origins.isLocalAddress(registry.host())) {
      throw new IOException("refusing the token realm " + Origins.withoutQuery(url)
          + " on a local address for the non-local registry " + Origins.of(registry));
    }
    return url;
  }
}
