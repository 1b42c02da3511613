package io.soci4j.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.soci4j.api.Descriptor;
import io.soci4j.api.MediaTypes;
import io.soci4j.registry.testing.FaultProxy;
import io.soci4j.registry.testing.MutableClock;
import io.soci4j.registry.testing.RegistryExtension;
import io.soci4j.registry.testing.TestImage;
import io.soci4j.registry.testing.TestImage.TwoPlatforms;
import io.soci4j.registry.testing.TokenServer;
import java.time.Instant;
import java.util.Random;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The bearer token flow in front of a real registry: a {@link FaultProxy} demands tokens (401 with
 * {@code WWW-Authenticate: Bearer realm,service,scope}) and forwards to Debian docker-registry 2.8.
 * The token server cannot run here (the Debian package has none): MockWebServer plays it
 * ({@link TokenServer}). Covers 401 then token then success, the token cache, scope upgrades for
 * push, merged scopes for mounts, expiry, and bounded retries.
 */
class BearerAuthTest {
  @RegisterExtension
  static final RegistryExtension REGISTRY = RegistryExtension.plain();
  private static TwoPlatforms image;

  private TokenServer tokens;
  private FaultProxy proxy;
  private RegistryClient client;
  private MutableClock clock;

  @BeforeAll
  static void pushImage() throws Exception {
    image = TestImage.twoPlatforms(5).copyTo(REGISTRY, "bearer/app:v1");
  }

  @BeforeEach
  void start() throws Exception {
    tokens = TokenServer.start();
    tokens.requireBasic("robot", "t0ken-pa55");
    proxy = FaultProxy.start(REGISTRY.url());
    proxy.requireBearer(tokens.realm());
    clock = new MutableClock(Instant.parse("2026-11-27T00:00:00Z"));
    client = ClientProbe.withClock(RegistryClient.builder().plainHttp()
        .credentials(CredentialsProvider.of(proxy.registry(), Credential.basic("robot", "t0ken-pa55"))), clock).build();
  }

  @AfterEach
  void stop() {
    ClientProbe.assertNoLeaks(client);
    client.close();
    proxy.close();
    tokens.close();
  }

  private RegistryStore store(String repo) {
    return client.store(ImageReference.parse(proxy.registry() + "/" + repo));
  }

  @Test
  void aChallengeGetsATokenWithBasicCredentialsThatLaterRequestsReuse() throws Exception {
    RegistryStore store = store("bearer/app");
    assertThat(store.manifest("v1").bytes()).isEqualTo(image.index().bytes());
    assertThat(store.fetch(image.base().descriptor())).isEqualTo(image.base().bytes());
    assertThat(store.resolve("v1")).isEqualTo(image.index().descriptor());

    assertThat(tokens.requests()).singleElement().satisfies(t -> {
      assertThat(t.getUrl().queryParameter("service")).isEqualTo("soci4j-test");
      assertThat(t.getUrl().queryParameterValues("scope")).containsExactly("repository:bearer/app:pull");
      assertThat(t.getHeaders().get("Authorization")).startsWith("Basic ");
    });
    assertThat(proxy.requests()).extracting(r -> r.header("Authorization") == null ? "none" : "bearer")
        .containsExactly("none", "bearer", "bearer", "bearer");
  }

  @Test
  void pushingAsksForPullAndPushUpFront() throws Exception {
    RegistryStore store = store("bearer/app");
    store.manifest("v1");
    byte[] blob = new byte[3000];
    new Random(3).nextBytes(blob);
    Descriptor d = Descriptor.of(MediaTypes.OCI_LAYER_TAR, blob);
    store.push(d, blob);
    assertThat(store.fetch(d)).isEqualTo(blob);
    assertThat(tokens.requests()).extracting(t -> t.getUrl().queryParameterValues("scope"))
        .containsExactly(java.util.List.of("repository:bearer/app:pull"),
            java.util.List.of("repository:bearer/app:pull,push"));
    assertThat(proxy.requests()).filteredOn(r -> !r.path().contains("/manifests/v1"))
        .allSatisfy(r -> assertThat(r.header("Authorization")).startsWith("Bearer "));
  }

  @Test
  void aMountAsksForPushOnTheTargetAndPullOnTheSourceInOneToken() throws Exception {
    RegistryStore target = store("bearer/other");
    assertThat(target.mount(image.base().descriptor(), "bearer/app")).isTrue();
    RecordedRequest tokenRequest = tokens.requests().get(0);
    assertThat(tokenRequest.getUrl().queryParameterValues("scope"))
        .containsExactly("repository:bearer/other:pull,push", "repository:bearer/app:pull");
    assertThat(tokens.requests()).hasSize(1);
  }

  @Test
  void anExpiredTokenIsReplaced() throws Exception {
    tokens.expiresIn(60);
    RegistryStore store = store("bearer/app");
    store.manifest("v1");
    clock.now = clock.now.plusSeconds(45);
    store.manifest("v1");
    assertThat(tokens.requests()).hasSize(1);
    clock.now = clock.now.plusSeconds(30);
    store.manifest("v1");
    assertThat(tokens.requests()).hasSize(2);
    assertThat(proxy.requests()).filteredOn(r -> r.header("Authorization") == null).hasSize(1);
  }

  @Test
  void aTokenThatNeverSufficesEndsAfterABoundedNumberOfAttempts() {
    tokens.grantNothing();
    assertThatThrownBy(() -> store("bearer/app").manifest("v1"))
        .isInstanceOf(RegistryException.class)
        .satisfies(e -> assertThat(((RegistryException) e).status()).isEqualTo(401));
    assertThat(proxy.requests()).hasSize(3);
    assertThat(tokens.requests()).hasSize(2);
  }

  @Test
  void aRefusalByTheTokenServerNamesItWithoutQueryOrSecrets() {
    tokens.requireBasic("robot", "another-password");
    assertThatThrownBy(() -> store("bearer/app").manifest("v1"))
        .isInstanceOf(RegistryException.class)
        .satisfies(e -> {
          RegistryException r = (RegistryException) e;
          assertThat(r.status()).isEqualTo(401);
          assertThat(r.call().url()).isEqualTo(tokens.realm());
          assertThat(r.getMessage()).contains("token server").doesNotContain("scope=")
              .doesNotContain("t0ken-pa55");
        });
    assertThat(proxy.requests()).extracting(io.soci4j.registry.testing.RecordedRequest::method).containsExactly("GET");
  }

  @Test
  void anIdentityTokenIsExchangedWithTheOauth2PostAndFallsBackToGetOn404() throws Exception {
    tokens.acceptRefreshToken("refresh-abc");
    try (RegistryClient oauth = RegistryClient.builder().plainHttp().credentials(CredentialsProvider.of(
        proxy.registry(), Credential.identityToken("<token>", "refresh-abc"))).build()) {
      assertThat(oauth.store(ImageReference.parse(proxy.registry() + "/bearer/app")).manifest("v1").bytes())
          .isEqualTo(image.index().bytes());
      ClientProbe.assertNoLeaks(oauth);
    }
    RecordedRequest post = tokens.requests().get(0);
    assertThat(post.getMethod()).isEqualTo("POST");
    assertThat(post.getBody().utf8()).contains("grant_type=refresh_token").contains("client_id=soci4j")
        .contains("service=soci4j-test").contains("scope=repository%3Abearer%2Fapp%3Apull");

    tokens.acceptRefreshToken(null);
    tokens.requireBasic("<token>", "refresh-xyz");
    try (RegistryClient fallback = RegistryClient.builder().plainHttp().credentials(CredentialsProvider.of(
        proxy.registry(), Credential.identityToken("<token>", "refresh-xyz"))).build()) {
      fallback.store(ImageReference.parse(proxy.registry() + "/bearer/app")).manifest("v1");
    }
    assertThat(tokens.requests().subList(1, 3)).extracting(RecordedRequest::getMethod).containsExactly("POST", "GET");
  }

  @Test
  void aRegistryTokenIsSentAsIsWithoutTheTokenServer() throws Exception {
    String token = "tok0." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
        "repository:bearer/app:pull".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    try (RegistryClient direct = RegistryClient.builder().plainHttp().credentials(CredentialsProvider.of(
        proxy.registry(), Credential.registryToken(token))).build()) {
      direct.store(ImageReference.parse(proxy.registry() + "/bearer/app")).manifest("v1");
    }
    assertThat(tokens.requests()).isEmpty();
    assertThat(proxy.requests()).extracting(r -> r.header("Authorization")).containsExactly(null, "Bearer " + token);
  }
}
