package io.soci4j.registry.internal.http;

import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * The client's OkHttp clients: the shared one, and a variant (same connection pool and
 * dispatcher) that skips TLS verification, used only for hosts configured as insecure.
 */
public final class HttpClients {
  private final OkHttpClient secure;
  private final Predicate<String> insecureHost;
  private volatile OkHttpClient insecure;

  /**
   * @param secure the shared client
   * @param insecureHost whether a {@code host:port} skips TLS verification
   */
  public HttpClients(OkHttpClient secure, Predicate<String> insecureHost) {
    this.secure = secure;
    this.insecureHost = insecureHost;
  }

  /** {@return the shared client} */
  public OkHttpClient shared() {
    return secure;
  }

  /**
   * @param url where a request goes
   * @return the client to send it with
   */
  public OkHttpClient forUrl(HttpUrl url) {
    if (!url.isHttps() || !insecureHost.test(url.host() + ":" + url.port())) {
      return secure;
    }
    OkHttpClient c = insecure;
    if (c == null) {
      synchronized (this) {
        if (insecure == null) {
          insecure = trustingAll(secure);
        }
        c = insecure;
      }
    }
    return c;
  }

  private static OkHttpClient trustingAll(OkHttpClient base) {
    X509TrustManager trustAll = new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    };
    try {
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(null, new TrustManager[] {trustAll}, new SecureRandom());
      return base.newBuilder().sslSocketFactory(tls.getSocketFactory(), trustAll)
          .hostnameVerifier((host, session) -> true).build();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS without verification", e);
    }
  }
}
