package io.soci4j.ztoc.internal.build;

import io.soci4j.api.Digest;
import java.util.List;

/**
 * What one pass over a layer found, apart from the TOC.
 *
 * @param compressedSize layer blob size
 * @param uncompressedSize bytes of the whole decompressed stream (may exceed the tar's end)
 * @param spanDigests one digest per span
 * @param checkpointBlob the format's checkpoint blob
 * @param bytesRead bytes read from the input stream (equals compressedSize: read once)
 */
public record LayerScan(long compressedSize, long uncompressedSize, List<Digest> spanDigests,
    byte[] checkpointBlob, long bytesRead) {}
