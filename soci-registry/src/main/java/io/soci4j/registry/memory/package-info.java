/**
 * {@link io.soci4j.registry.memory.MemoryStore}: the in-memory {@link io.soci4j.api.ImageStore},
 * for tests and as the reference implementation of the storage contract.
 */
package io.soci4j.registry.memory;
