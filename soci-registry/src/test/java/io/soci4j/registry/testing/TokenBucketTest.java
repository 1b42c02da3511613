package io.soci4j.registry.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The bandwidth limit of {@link FaultProxy} (used by the throttled time-to-first-byte harness), on
 * a fake clock: the waits it asks for are checked, never measured, so the tests are exact and
 * fast, and the harness cannot silently stop throttling.
 */
class TokenBucketTest {
  private static final long RATE = 50_000_000;

  /** A clock that moves only when the bucket "sleeps". */
  private static final class FakeTime {
    final AtomicLong now = new AtomicLong(1_000_000_000L);
    final List<Long> sleeps = new ArrayList<>();

    TokenBucket bucket(long rate, long burst) {
      return new TokenBucket(rate, burst, now::get, nanos -> {
        synchronized (sleeps) {
          sleeps.add(nanos);
        }
        now.addAndGet(nanos);
      });
    }

    long elapsedSinceStart() {
      return now.get() - 1_000_000_000L;
    }
  }

  @Test
  void bytesWithinTheBurstGoAtOnceAndTheRestWaitsForTheRate() {
    FakeTime t = new FakeTime();
    TokenBucket b = t.bucket(RATE, 100_000);
    assertThat(b.reserve(100_000)).as("the burst").isZero();
    assertThat(b.reserve(50_000_000)).as("one second of bytes, booked at once").isEqualTo(1_000_000_000L);
    assertThat(b.reserve(5_000_000)).as("bookings queue up").isEqualTo(1_100_000_000L);
    assertThat(b.bytes()).isEqualTo(55_100_000L);
  }

  @Test
  void anIdleBucketRefillsOnlyUpToTheBurst() {
    FakeTime t = new FakeTime();
    TokenBucket b = t.bucket(RATE, 100_000);
    t.now.addAndGet(60_000_000_000L); // a minute idle
    assertThat(b.reserve(100_000)).isZero();
    assertThat(b.reserve(500_000)).as("10 ms of bytes beyond the burst").isEqualTo(10_000_000L);
  }

  @Test
  void waitsRoundUpSoTheRateIsNeverExceeded() {
    FakeTime t = new FakeTime();
    TokenBucket b = t.bucket(3, 0);
    assertThat(b.reserve(1)).as("1/3 s, rounded up").isEqualTo(333_333_334L);
  }

  @Test
  void aThrottledStreamTakesSizeOverRateOnTheClock() throws Exception {
    FakeTime t = new FakeTime();
    TokenBucket b = t.bucket(RATE, 64 << 10);
    byte[] data = new byte[10_000_000];
    new Random(1).nextBytes(data);
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (OutputStream out = b.throttle(sink)) {
      out.write(data, 0, 3);
      out.write(data[3]);
      out.write(data, 4, data.length - 4);
    }
    assertThat(sink.toByteArray()).isEqualTo(data);
    // 10 MB at 50 MB/s is 200 ms; the burst lets 64 KiB (1.3 ms) go early, the last chunk waits
    // only until its own booking is within the burst
    assertThat(t.elapsedSinceStart()).isBetween(198_000_000L, 200_000_001L);
    assertThat(t.sleeps).allSatisfy(s -> assertThat(s).isLessThanOrEqualTo(1_000_000L));
  }

  @Test
  void theProxyThrottlesTheBodiesItForwards() throws Exception {
    byte[] blob = new byte[5_000_000];
    new Random(2).nextBytes(blob);
    HttpServer upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    upstream.createContext("/", ex -> {
      try (ex) {
        ex.sendResponseHeaders(200, blob.length);
        ex.getResponseBody().write(blob);
      }
    });
    upstream.start();
    FakeTime t = new FakeTime();
    try (FaultProxy proxy = FaultProxy.start("http://127.0.0.1:" + upstream.getAddress().getPort())) {
      proxy.throttle(t.bucket(RATE, 64 << 10));
      HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://" + proxy.registry() + "/v2/app/blobs/sha256:" + "0".repeat(64))).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo(blob);
      assertThat(t.elapsedSinceStart()).as("5 MB at 50 MB/s: 100 ms on the proxy's clock")
          .isBetween(98_000_000L, 100_000_001L);
    } finally {
      upstream.stop(0);
    }
  }

  @Test
  void rejectsANonPositiveRate() {
    assertThatThrownBy(() -> new TokenBucket(0, 0, System::nanoTime, n -> { }))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
