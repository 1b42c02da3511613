package io.soci4j.registry.internal.http;

import okhttp3.HttpUrl;

/**
 * The state of a blob upload after a step: where to send the next one (the newest
 * {@code Location}, used verbatim with its query), or that a mount already completed it.
 *
 * @param location the upload URL for the next step; null when mounted
 * @param mounted whether a cross-repository mount made the blob available (no upload needed)
 * @param minChunk the registry's {@code OCI-Chunk-Min-Length}, or 0
 */
public record UploadSession(HttpUrl location, boolean mounted, long minChunk) {}
