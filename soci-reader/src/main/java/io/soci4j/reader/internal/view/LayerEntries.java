package io.soci4j.reader.internal.view;

import io.soci4j.api.Digest;
import io.soci4j.ztoc.TocEntry;
import java.util.List;

/**
 * The tar entries of one layer, in tar order, as the tree builder applies them.
 *
 * @param digest the layer's digest
 * @param entries its TOC entries
 */
public record LayerEntries(Digest digest, List<TocEntry> entries) {}
