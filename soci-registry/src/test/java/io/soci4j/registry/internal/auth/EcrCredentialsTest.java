package io.soci4j.registry.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.soci4j.registry.Credential;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Headers;
import io.soci4j.registry.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;

/**
 * ECR credentials through the real AWS SDK client. The ECR API itself cannot run here:
 * MockWebServer plays it (the JSON protocol's GetAuthorizationToken), and the test checks the
 * region and FIPS flag parsed from the host, the decoded token, and caching until expiry.
 */
class EcrCredentialsTest {
  private MockWebServer ecrApi;
  private final List<EcrHost> clientsMade = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    ecrApi = new MockWebServer();
    ecrApi.start();
  }

  @AfterEach
  void stop() {
    ecrApi.close();
  }

  private EcrCredentials provider(Clock clock) {
    return new EcrCredentials(host -> {
      clientsMade.add(host);
      return EcrClient.builder()
          .region(Region.of(host.region()))
          .endpointOverride(URI.create(ecrApi.url("/").toString()))
          .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "sk")))
          .httpClient(UrlConnectionHttpClient.create())
          .build();
    }, clock);
  }

  private void enqueueToken(String password, Instant expiresAt) {
    String token = Base64.getEncoder().encodeToString(("AWS:" + password).getBytes(StandardCharsets.UTF_8));
    ecrApi.enqueue(new MockResponse(200, Headers.of("Content-Type", "application/x-amz-json-1.1"),
        "{\"authorizationData\":[{\"authorizationToken\":\"" + token + "\",\"expiresAt\":"
            + expiresAt.getEpochSecond() + ",\"proxyEndpoint\":\"https://123456789012.dkr.ecr.eu-west-1.amazonaws.com\"}]}"));
  }

  @Test
  void getsABasicCredentialFromTheRegionOfTheHostAndCachesItUntilShortlyBeforeExpiry() throws Exception {
    Instant now = Instant.parse("2026-11-27T00:00:00Z");
    MutableClock clock = new MutableClock(now);
    EcrCredentials p = provider(clock);
    enqueueToken("first-password", now.plusSeconds(12 * 3600));
    enqueueToken("second-password", now.plusSeconds(24 * 3600));

    String host = "123456789012.dkr.ecr-fips.eu-west-1.amazonaws.com";
    assertThat(p.credentialFor(host)).contains(Credential.basic("AWS", "first-password"));
    RecordedRequest call = ecrApi.takeRequest();
    assertThat(call.getHeaders().get("X-Amz-Target")).isEqualTo("AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken");
    assertThat(call.getHeaders().get("Authorization")).contains("/eu-west-1/ecr/aws4_request");
    assertThat(clientsMade).singleElement().satisfies(h -> {
      assertThat(h.region()).isEqualTo("eu-west-1");
      assertThat(h.fips()).isTrue();
    });

    clock.now = now.plusSeconds(11 * 3600);
    assertThat(p.credentialFor(host)).contains(Credential.basic("AWS", "first-password"));
    assertThat(ecrApi.getRequestCount()).isEqualTo(1);

    clock.now = now.plusSeconds(12 * 3600).minus(EcrCredentials.REFRESH_BEFORE);
    assertThat(p.credentialFor(host)).contains(Credential.basic("AWS", "second-password"));
    assertThat(ecrApi.getRequestCount()).isEqualTo(2);
    assertThat(p.credentialFor("docker.io")).isEmpty();
  }

  @Test
  void anApiErrorNamesTheRegionButNoSecret() {
    ecrApi.enqueue(new MockResponse(400, Headers.of("Content-Type", "application/x-amz-json-1.1"),
        "{\"__type\":\"AccessDeniedException\",\"message\":\"not allowed\"}"));
    EcrCredentials p = provider(Clock.systemUTC());
    assertThatThrownBy(() -> p.credentialFor("123456789012.dkr.ecr.us-east-2.amazonaws.com"))
        .hasMessageContaining("ECR GetAuthorizationToken in us-east-2 failed")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("sk"));
  }
}
