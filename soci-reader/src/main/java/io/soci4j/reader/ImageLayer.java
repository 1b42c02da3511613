package io.soci4j.reader;

import io.soci4j.api.Descriptor;

/**
 * One layer of an opened image.
 *
 * @param index position in the image manifest, 0 for the bottom layer
 * @param descriptor the layer blob's descriptor
 * @param indexed whether it has a zTOC and is read by spans; false when it was fetched whole
 * @param spanCount spans in its zTOC; 0 when not indexed
 */
public record ImageLayer(int index, Descriptor descriptor, boolean indexed, int spanCount) {}
