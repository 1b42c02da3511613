package io.soci4j.registry.internal.auth;

import java.net.InetAddress;
import okhttp3.HttpUrl;

/** Origins (scheme, host, port) and the host names credentials are looked up by. */
public final class Origins {
  private Origins() {}

  /**
   * @param url a URL
   * @return {@code scheme://host:port}, with the port always present
   */
  public static String of(HttpUrl url) {
    return url.scheme() + "://" + hostPort(url);
  }

  /**
   * @param url a URL
   * @return {@code host:port} with IPv6 hosts in brackets
   */
  public static String hostPort(HttpUrl url) {
    String host = url.host().indexOf(':') >= 0 ? "[" + url.host() + "]" : url.host();
    return host + ":" + url.port();
  }

  /**
   * The name a credentials provider is asked about for a host that is not the registry itself
   * (a redirect target): {@code host}, plus {@code :port} when it is not the scheme's default.
   *
   * @param url a URL
   * @return the name
   */
  public static String credentialName(HttpUrl url) {
    String host = url.host().indexOf(':') >= 0 ? "[" + url.host() + "]" : url.host();
    return url.port() == HttpUrl.defaultPort(url.scheme()) ? host : host + ":" + url.port();
  }

  /**
   * @param host a host name or IP literal
   * @return whether it is a loopback, private, link-local or unspecified IP literal, or localhost
   */
  public static boolean isLocalAddress(String host) {
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    boolean ipLiteral = host.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}") || host.indexOf(':') >= 0;
    if (!ipLiteral) {
      return false;
    }
    try {
      InetAddress a = InetAddress.getByName(host); // a literal: no DNS lookup
      return a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress()
          || (a.getAddress().length == 16 && (a.getAddress()[0] & 0xfe) == 0xfc);
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  /**
   * @param url a URL
   * @return it without user info, query or fragment, which can carry secrets (signed URLs,
   *     upload state)
   */
  public static String withoutQuery(HttpUrl url) {
    return url.newBuilder().username("").password("").query(null).fragment(null).build().toString();
  }
}
