/**
 * Implementation of {@link io.soci4j.registry.layout.OciLayoutStore}: the {@code index.json}
 * document, atomic file writes, the layout lock, blob files and the small Jackson DTOs used to
 * read manifests. {@link io.soci4j.registry.memory.MemoryStore} reuses the manifest
 * parsing. Not API: may change without notice.
 */
package io.soci4j.registry.layout.internal;
