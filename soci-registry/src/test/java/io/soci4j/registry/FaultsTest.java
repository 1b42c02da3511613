package io.soci4j.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.soci4j.api.ByteSource;
import io.soci4j.api.Descriptor;
import io.soci4j.api.DigestMismatchException;
import io.soci4j.api.MediaTypes;
import io.soci4j.api.SociException;
import io.soci4j.registry.testing.FaultProxy;
import io.soci4j.registry.testing.RecordedRequest;
import io.soci4j.registry.testing.RegistryExtension;
import io.soci4j.registry.testing.TestImage;
import io.soci4j.registry.testing.TestImage.TwoPlatforms;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Faults injected by a {@link FaultProxy} in front of a real registry (Debian docker-registry
 * 2.8): 500 and 429 then success, Retry-After (seconds and HTTP date), retries running out,
 * non-idempotent steps not re-sent, truncated and corrupted bodies, a server that ignores Range,
 * multipart range answers, a wrong Docker-Content-Digest header, timeouts, close and interrupt.
 * Waits between retries are recorded, not slept, so nothing here depends on timing.
 */
class FaultsTest {
  @RegisterExtension
  static final RegistryExtension REGISTRY = RegistryExtension.plain();
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T12:00:00Z"), ZoneOffset.UTC);

  private static TwoPlatforms image;
  private FaultProxy proxy;
  private ClientProbe.RecordingSleeper sleeper;
  private RegistryClient client;
  private RegistryStore store;

  @BeforeAll
  static void pushImage() throws Exception {
    image = TestImage.twoPlatforms(3).copyTo(REGISTRY, "faults/app:v1");
  }

  @BeforeEach
  void start() throws Exception {
    proxy = FaultProxy.start(REGISTRY.url());
    sleeper = new ClientProbe.RecordingSleeper();
    client = ClientProbe.withClock(ClientProbe.withoutJitter(ClientProbe.withSleeper(RegistryClient.builder()
        .plainHttp().credentials(CredentialsProvider.anonymous()).maxRetries(3), sleeper)), CLOCK).build();
    store = client.store(ImageReference.parse(proxy.registry() + "/faults/app"));
  }

  @AfterEach
  void stop() {
    if (!client.isClosed()) {
      ClientProbe.assertNoLeaks(client);
    }
    client.close();
    proxy.close();
  }

  private long count(String method, String pathPart) {
    return proxy.requests().stream().filter(r -> r.method().equals(method) && r.path().contains(pathPart)).count();
  }

  private static String blobPath(Descriptor d) {
    return "/v2/faults/app/blobs/" + d.digest();
  }

  @Test
  void retriesA500ThenSucceeds() throws Exception {
    proxy.respond("GET", "/v2/faults/app/manifests/v1", 1, 500, Map.of("Content-Type", "application/json"),
        "{\"errors\":[{\"code\":\"UNKNOWN\",\"message\":\"boom\"}]}");
    assertThat(store.manifest("v1").bytes()).isEqualTo(image.index().bytes());
    assertThat(count("GET", "/manifests/v1")).isEqualTo(2);
    assertThat(sleeper.waits).containsExactly(Duration.ofMillis(125));
    assertThat(client.transferStats()).isEqualTo(new TransferStats(1, 0, 0, 0));
  }

  @Test
  void honoursRetryAfterInSecondsAndAsAnHttpDate() throws Exception {
    proxy.respond("GET", "/v2/faults/app/manifests/v1", 1, 429, Map.of("Retry-After", "2"),
        "{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"slow down\"}]}");
    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(CLOCK.instant().plusSeconds(5).atZone(ZoneOffset.UTC));
    proxy.respond("GET", "/v2/faults/app/manifests/v1", 1, 429, Map.of("Retry-After", date), "");
    assertThat(store.manifest("v1").bytes()).isEqualTo(image.index().bytes());
    assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(5));
    assertThat(count("GET", "/manifests/v1")).isEqualTo(3);
  }

  @Test
  void givesUpAfterTheRetriesWithTheLastStatusAndTheRegistrysErrors() {
    proxy.respond("GET", "/v2/faults/app/manifests/v1", 100, 503, Map.of("Content-Type",
        "application/json; charset=utf-8"), "{\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":\"try later\"}]}");
    assertThatThrownBy(() -> store.manifest("v1"))
        .isInstanceOf(RegistryException.class)
        .satisfies(e -> {
          RegistryException r = (RegistryException) e;
          assertThat(r.status()).isEqualTo(503);
          assertThat(r.errors()).containsExactly(new RegistryError("UNAVAILABLE", "try later"));
          assertThat(r.registry()).isEqualTo(proxy.registry());
          assertThat(r.repository()).isEqualTo("faults/app");
          assertThat(r.call().url()).isEqualTo("http://" + proxy.registry() + "/v2/faults/app/manifests/v1");
          assertThat(r.getMessage()).contains("fetch manifest v1 in " + proxy.registry() + "/faults/app failed")
              .contains("HTTP 503").contains("UNAVAILABLE: try later");
        });
    assertThat(count("GET", "/manifests/v1")).isEqualTo(4);
    assertThat(sleeper.waits).hasSize(3);
  }

  @Test
  void anUploadIsRestartedFromAFreshSessionNotByResendingItsSteps() throws Exception {
    byte[] blob = new byte[5000];
    new Random(1).nextBytes(blob);
    Descriptor d = Descriptor.of(MediaTypes.OCI_LAYER_TAR, blob);
    proxy.respond("POST", "/v2/faults/app/blobs/uploads/", 1, 500, Map.of(), "");
    proxy.respond("PUT", "/v2/faults/app/blobs/uploads/.*", 1, 502, Map.of(), "");
    store.push(d, blob);
    assertThat(proxy.requests()).extracting(RecordedRequest::method)
        .containsExactly("HEAD", "POST", "HEAD", "POST", "PUT", "HEAD", "POST", "PUT");
    assertThat(store.fetch(d)).isEqualTo(blob);
  }

  @Test
  void aStreamedUploadIsNotRetriedBecauseItsStreamIsGone() {
    byte[] blob = new byte[5000];
    new Random(2).nextBytes(blob);
    Descriptor d = Descriptor.of(MediaTypes.OCI_LAYER_TAR, blob);
    proxy.respond("PATCH", "/v2/faults/app/blobs/uploads/.*", 1, 503, Map.of(), "");
    assertThatThrownBy(() -> store.push(d, new ByteArrayInputStream(blob)))
        .isInstanceOf(RegistryException.class).satisfies(e -> assertThat(((RegistryException) e).status())
            .isEqualTo(503));
    assertThat(count("PATCH", "/blobs/uploads/")).isEqualTo(1);
    assertThat(count("DELETE", "/blobs/uploads/")).isEqualTo(1);
  }

  @Test
  void aCutBlobBodyResumesWithARangeFromTheLastByteAndATruncatedManifestIsRetried() throws Exception {
    // cut twice, at 100 bytes each time: the download resumes at 100, then at 200
    proxy.inject("GET", blobPath(image.base().descriptor()), 2, FaultProxy.Kind.TRUNCATE);
    assertThat(store.fetch(image.base().descriptor())).isEqualTo(image.base().bytes());
    List<String> ranges = proxy.requests().stream().filter(r -> r.path().contains(image.base().digest().hex()))
        .map(r -> r.headers().entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase("Range"))
            .map(h -> String.join(",", h.getValue())).findFirst().orElse("-")).toList();
    assertThat(ranges).containsExactly("-", "bytes=100-", "bytes=200-");
    assertThat(client.transferStats()).as("two resumes keeping 100 + 200 bytes")
        .isEqualTo(new TransferStats(0, 2, 300, 0));
    assertThat(client.transferStats().format()).isEqualTo(
        "registry: 0 retries, 2 resumes (300 bytes kept), 0 blobs read whole (Range ignored)%n".formatted());

    // a server that cuts every answer: the resumes are bounded, then a typed error says how far it got
    proxy.inject("GET", blobPath(image.base().descriptor()), 100, FaultProxy.Kind.TRUNCATE);
    assertThatThrownBy(() -> store.fetch(image.base().descriptor()))
        .isInstanceOf(SociException.class)
        .hasMessageContaining("blob " + image.base().digest())
        .hasMessageContaining("after 600 of " + image.base().bytes().length + " bytes");
    try (InputStream in = store.open(image.base().descriptor())) {
      assertThatThrownBy(in::readAllBytes).isInstanceOf(SociException.class);
    }
    proxy.inject("GET", "/v2/faults/app/manifests/v1", 1, FaultProxy.Kind.TRUNCATE);
    assertThat(store.manifest("v1").bytes()).isEqualTo(image.index().bytes());
    assertThat(count("GET", "/manifests/v1")).isEqualTo(2);
  }

  @Test
  void rejectsBytesThatDoNotMatchTheirDigest() {
    proxy.inject("GET", blobPath(image.app().descriptor()), 100, FaultProxy.Kind.CORRUPT);
    assertThatThrownBy(() -> store.fetch(image.app().descriptor()))
        .isInstanceOf(DigestMismatchException.class)
        .satisfies(e -> assertThat(((DigestMismatchException) e).expected()).isEqualTo(image.app().digest()));
    proxy.inject("GET", "/v2/faults/app/manifests/" + image.amd64().manifest().digest(), 100, FaultProxy.Kind.CORRUPT);
    assertThatThrownBy(() -> store.manifest(image.amd64().manifest().digest().toString()))
        .isInstanceOf(DigestMismatchException.class)
        .hasMessageContaining("manifest " + image.amd64().manifest().digest());
    assertThat(count("GET", "/manifests/" + image.amd64().manifest().digest())).isEqualTo(1);
  }

  @Test
  void usesTheBytesNotAWrongDockerContentDigestHeader() throws Exception {
    proxy.setHeaders("GET", "/v2/faults/app/manifests/v1", 1, Map.of("Docker-Content-Digest",
        image.arm().digest().toString()));
    assertThat(store.manifest("v1").descriptor()).isEqualTo(image.index().descriptor());
    proxy.setHeaders("HEAD", "/v2/faults/app/manifests/" + image.amd64().manifest().digest(), 1,
        Map.of("Docker-Content-Digest", image.arm().digest().toString()));
    assertThat(store.resolve(image.amd64().manifest().digest().toString()))
        .isEqualTo(image.amd64().manifest().descriptor());
  }

  @Test
  void rangeReadsAreCorrectWhenTheServerIgnoresRangeOrAnswersMultipart() throws Exception {
    byte[] full = image.base().bytes();
    for (FaultProxy.Kind kind : List.of(FaultProxy.Kind.IGNORE_RANGE, FaultProxy.Kind.MULTIPART)) {
      // ignored Range: the first full body is kept, so one answer serves the three reads
      FaultProxy.Rule rule = proxy.inject("GET", blobPath(image.base().descriptor()),
          kind == FaultProxy.Kind.MULTIPART ? 3 : 1, kind);
      try (ByteSource blob = store.openRange(image.base().descriptor())) {
        for (long[] s : new long[][] {{0, 10}, {full.length - 10, 10}, {777_777, 100_000}}) {
          assertThat(blob.read(s[0], (int) s[1])).as("%s %d+%d", kind, s[0], s[1])
              .isEqualTo(Arrays.copyOfRange(full, (int) s[0], (int) (s[0] + s[1])));
        }
      }
      assertThat(rule.remaining()).isZero();
    }
  }

  /** A wrong Content-Range is a typed error naming both ranges (the reader's span fetch retries it). */
  @Test
  void aWrongContentRangeIsATypedErrorNeverTheWrongBytes() throws Exception {
    byte[] full = image.base().bytes();
    proxy.setHeaders("GET", blobPath(image.base().descriptor()), 1, Map.of("Content-Range",
        "bytes 0-99/" + full.length));
    try (ByteSource blob = store.openRange(image.base().descriptor())) {
      assertThatThrownBy(() -> blob.read(1000, 100)).isInstanceOf(io.soci4j.api.SociException.class)
          .hasMessageContaining("bytes 1000-1099").hasMessageContaining("sent bytes 0-99 instead");
      assertThat(blob.read(1000, 100)).as("the next answer is right").isEqualTo(Arrays.copyOfRange(full, 1000, 1100));
    }
  }

  @Test
  void aServerThatIgnoresRangeIsReadWholeOnce() throws Exception {
    byte[] full = image.base().bytes();
    proxy.inject("GET", blobPath(image.base().descriptor()), 1000, FaultProxy.Kind.IGNORE_RANGE);
    long before = count("GET", image.base().digest().hex());
    try (ByteSource blob = store.openRange(image.base().descriptor())) {
      java.util.Random r = new java.util.Random(5);
      for (int i = 0; i < 40; i++) {
        int len = 1 + r.nextInt(50_000);
        long off = r.nextInt(full.length - len);
        assertThat(blob.read(off, len)).isEqualTo(Arrays.copyOfRange(full, (int) off, (int) off + len));
      }
    }
    assertThat(count("GET", image.base().digest().hex()) - before).as("one whole-blob read for 40 ranges")
        .isEqualTo(1);
    assertThat(client.transferStats().rangeIgnoredBlobs()).isEqualTo(1);
  }

  @Test
  void aStalledAnswerTimesOut() throws Exception {
    proxy.inject("GET", "/v2/faults/app/manifests/v1", 1, FaultProxy.Kind.STALL);
    try (RegistryClient impatient = RegistryClient.builder().plainHttp().credentials(CredentialsProvider.anonymous())
        .readTimeout(Duration.ofMillis(300)).maxRetries(0).build()) {
      assertThatThrownBy(() -> impatient.store(ImageReference.parse(proxy.registry() + "/faults/app")).manifest("v1"))
          .isInstanceOf(RegistryException.class)
          .hasCauseInstanceOf(SocketTimeoutException.class)
          .satisfies(e -> assertThat(((RegistryException) e).status()).isZero());
    }
  }

  @Test
  void closingTheClientAbortsACallInFlight() throws Exception {
    FaultProxy.Rule stall = proxy.inject("GET", blobPath(image.base().descriptor()), 1, FaultProxy.Kind.STALL);
    CompletableFuture<byte[]> fetch = CompletableFuture.supplyAsync(() -> {
      try {
        return store.fetch(image.base().descriptor());
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    assertThat(stall.awaitArrival(30)).isTrue();
    client.close();
    assertThatThrownBy(() -> fetch.get(30, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasRootCauseInstanceOf(IOException.class)
        .satisfies(e -> assertThat(e.getCause().getCause()).hasMessageContaining("closed"));
    assertThatThrownBy(() -> store.manifest("v1")).hasMessageContaining("closed");
  }

  @Test
  void interruptingAThreadWaitingToRetryStopsIt() throws Exception {
    proxy.respond("GET", "/v2/faults/app/manifests/v1", 100, 429, Map.of("Retry-After", "50"), "");
    try (RegistryClient waiting = RegistryClient.builder().plainHttp().credentials(CredentialsProvider.anonymous())
        .build()) {
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread t = new Thread(() -> {
        try {
          waiting.store(ImageReference.parse(proxy.registry() + "/faults/app")).manifest("v1");
        } catch (Throwable e) {
          failure.set(e);
        }
      });
      t.start();
      while (count("GET", "/manifests/v1") == 0 && t.isAlive()) {
        Thread.sleep(10);
      }
      t.interrupt();
      t.join(30_000);
      assertThat(t.isAlive()).isFalse();
      assertThat(failure.get()).isInstanceOf(InterruptedIOException.class);
      assertThat(count("GET", "/manifests/v1")).isEqualTo(1);
    }
  }

  @Test
  void refusesAManifestOverFourMebibytesWithoutRetrying() {
    String big = "{\"schemaVersion\":2,\"manifests\":[],\"annotations\":{\"pad\":\"" + "x".repeat(4 << 20) + "\"}}";
    proxy.respond("GET", "/v2/faults/app/manifests/huge", 5, 200, Map.of("Content-Type", MediaTypes.OCI_INDEX), big);
    assertThatThrownBy(() -> store.manifest("huge"))
        .isInstanceOf(SociException.class)
        .hasMessageContaining("more than the limit of " + (4 << 20));
    assertThat(count("GET", "/manifests/huge")).isEqualTo(1);
  }

  @Test
  void interruptingAThreadWaitingForAnAnswerCancelsTheCall() throws Exception {
    FaultProxy.Rule stall = proxy.inject("GET", "/v2/faults/app/manifests/v1", 1, FaultProxy.Kind.STALL);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread t = new Thread(() -> {
      try {
        store.manifest("v1");
      } catch (Throwable e) {
        failure.set(e);
      }
    });
    t.start();
    assertThat(stall.awaitArrival(30)).isTrue();
    t.interrupt();
    t.join(30_000);
    assertThat(t.isAlive()).isFalse();
    assertThat(failure.get()).isInstanceOf(InterruptedIOException.class).hasMessageContaining("/manifests/v1");
    assertThat(store.manifest("v1").bytes()).isEqualTo(image.index().bytes());
  }
}
