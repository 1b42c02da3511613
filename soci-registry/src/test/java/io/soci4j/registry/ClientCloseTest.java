package io.soci4j.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.soci4j.api.Platform;
import io.soci4j.registry.testing.RegistryExtension;
import io.soci4j.registry.testing.TestImage;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link RegistryClient#close()} leaves no thread that keeps a program alive: a {@code main} that
 * uses a client and closes it exits at once (not after OkHttp's idle timeouts).
 */
class ClientCloseTest {
  @RegisterExtension static final RegistryExtension REGISTRY = RegistryExtension.plain();

  @Test
  void closeLeavesNoNonDaemonThreadBehind() throws Exception {
    Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
    try (RegistryClient client = RegistryClient.builder().plainHttp(REGISTRY.registry()).build()) {
      RegistryStore store = client.store(ImageReference.parse(REGISTRY.registry() + "/close/app:1"));
      TestImage image = TestImage.of(3, 2, Platform.parse("linux/amd64")).pushTo(store, "1");
      assertThat(store.fetch(image.manifest().descriptor())).isNotEmpty();
      assertThat(store.openRange(image.layers().get(0).descriptor()).read(0, 10)).hasSize(10);
    }
    long deadline = System.nanoTime() + 5_000_000_000L;
    List<Thread> left;
    do {
      // non-daemon threads would keep a main() alive; the client's own dispatcher threads (daemon,
      // 60 s keep-alive) must end too, or close() did not shut its executor down
      left = Thread.getAllStackTraces().keySet().stream()
          .filter(t -> !before.contains(t) && t.isAlive()
              && (!t.isDaemon() || t.getName().startsWith("soci4j-registry-"))).toList();
      if (!left.isEmpty()) {
        Thread.sleep(50);
      }
    } while (!left.isEmpty() && System.nanoTime() < deadline);
    assertThat(left).extracting(Thread::getName).as("threads the client left").isEmpty();
  }
}
