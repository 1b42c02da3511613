package io.soci4j.registry.memory;

import io.soci4j.api.ImageStore;
import io.soci4j.registry.storetest.ImageStoreContractTest;

/** The storage contract, for {@link MemoryStore}. */
class MemoryStoreContractTest extends ImageStoreContractTest {
  @Override
  protected ImageStore newStore() {
    return MemoryStore.create();
  }
}
