package io.soci4j.reader.internal.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A late read is sent again and the first answer wins; reads on time are sent once. */
class HedgedReadsTest {
  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
  private final HedgedReads hedge = HedgedReads.start("test-hedge", 50 * MS, 200 * MS);

  @Test
  void aStalledReadIsCopiedAndTheCopyAnswers() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    AtomicInteger copies = new AtomicInteger();
    try {
      byte[] got = hedge.read(10, () -> {
        if (calls.incrementAndGet() == 1) {
          pause(() -> never.await(30, TimeUnit.SECONDS)); // a connection that went quiet
          return new byte[] {1};
        }
        return new byte[] {2};
      }, copies::incrementAndGet);
      assertThat(got).containsExactly(2);
      assertThat(copies).hasValue(1);
      assertThat(calls).hasValue(2);
    } finally {
      never.countDown();
    }
  }

  @Test
  void readsOnTimeAreSentOnce() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    AtomicInteger copies = new AtomicInteger();
    for (int i = 0; i < 20; i++) {
      assertThat(hedge.read(1000, () -> {
        calls.incrementAndGet();
        return new byte[] {(byte) 7};
      }, copies::incrementAndGet)).containsExactly(7);
    }
    assertThat(calls).hasValue(20);
    assertThat(copies).hasValue(0);
  }

  @Test
  void aFailureBeforeTheWaitIsNotCopied() {
    AtomicInteger copies = new AtomicInteger();
    assertThatThrownBy(() -> hedge.read(1, () -> {
      throw new IOException("refused");
    }, copies::incrementAndGet)).isInstanceOf(IOException.class).hasMessage("refused");
    assertThat(copies).hasValue(0);
  }

  @Test
  void whenBothFailTheFirstFailureIsThrownWithTheOtherSuppressed() {
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(() -> hedge.read(1, () -> {
      int n = calls.incrementAndGet();
      if (n == 1) {
        pause(() -> Thread.sleep(400)); // late, then fails
      }
      throw new IOException("attempt " + n);
    }, () -> { })).isInstanceOf(IOException.class).hasMessage("attempt 2")
        .satisfies(e -> assertThat(e.getSuppressed()).extracting(Throwable::getMessage).containsExactly("attempt 1"));
  }

  /** Something that blocks. */
  interface Blocking {
    void run() throws InterruptedException;
  }

  private static void pause(Blocking b) throws IOException {
    try {
      b.run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException();
    }
  }

  @Test
  void offRunsOnTheCallersThread() throws Exception {
    Thread caller = Thread.currentThread();
    assertThat(HedgedReads.off().read(1, () -> new byte[] {(byte) (Thread.currentThread() == caller ? 1 : 0)},
        () -> { })).containsExactly(1);
  }
}
