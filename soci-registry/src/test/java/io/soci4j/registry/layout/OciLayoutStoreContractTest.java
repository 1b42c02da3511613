package io.soci4j.registry.layout;

import io.soci4j.api.ImageStore;
import io.soci4j.registry.storetest.ImageStoreContractTest;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The storage contract, for {@link OciLayoutStore} on a new layout directory. */
class OciLayoutStoreContractTest extends ImageStoreContractTest {
  @TempDir
  Path dir;

  @Override
  protected ImageStore newStore() throws Exception {
    return OciLayoutStore.open(dir.resolve("layout"));
  }
}
