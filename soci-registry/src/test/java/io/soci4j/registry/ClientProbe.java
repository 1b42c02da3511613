package io.soci4j.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.soci4j.registry.internal.http.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.EventListener;
import okhttp3.Protocol;
import java.net.InetSocketAddress;
import java.net.Proxy;

/** Test access to a client's internals: connection accounting, retry waits, the clock. */
final class ClientProbe {
  private ClientProbe() {}

  /** Counts connections opened and calls made. */
  static final class Counter extends EventListener {
    final AtomicInteger connectsStarted = new AtomicInteger();
    final AtomicInteger connectionsAcquired = new AtomicInteger();
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public void callStart(Call call) {
      calls.incrementAndGet();
    }

    @Override
    public void connectStart(Call call, InetSocketAddress address, Proxy proxy) {
      connectsStarted.incrementAndGet();
    }

    @Override
    public void connectionAcquired(Call call, okhttp3.Connection connection) {
      connectionsAcquired.incrementAndGet();
    }

    @Override
    public void connectEnd(Call call, InetSocketAddress address, Proxy proxy, Protocol protocol) {}
  }

  /** Records the waits between retries instead of waiting. */
  static final class RecordingSleeper implements Sleeper {
    final List<Duration> waits = new CopyOnWriteArrayList<>();

    @Override
    public void sleep(Duration delay) {
      waits.add(delay);
    }
  }

  static RegistryClient.Builder withListener(RegistryClient.Builder b, EventListener listener) {
    return b.eventListener(listener);
  }

  static RegistryClient.Builder withSleeper(RegistryClient.Builder b, Sleeper sleeper) {
    return b.sleeper(sleeper);
  }

  static RegistryClient.Builder withClock(RegistryClient.Builder b, Clock clock) {
    return b.clock(clock);
  }

  static RegistryClient.Builder withoutJitter(RegistryClient.Builder b) {
    return b.jitter(() -> 0);
  }

  static ConnectionPool pool(RegistryClient client) {
    return client.http().connectionPool();
  }

  /** Every response was closed: all pooled connections are idle (OkHttpClientTestRule's check). */
  static void assertNoLeaks(RegistryClient client) {
    ConnectionPool pool = pool(client);
    assertThat(pool.idleConnectionCount()).as("idle connections (leaked responses keep theirs busy)")
        .isEqualTo(pool.connectionCount());
  }
}
