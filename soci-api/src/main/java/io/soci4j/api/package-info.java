/**
 * Stable types shared by all soci4j modules: {@link io.soci4j.api.Digest}, {@link
 * io.soci4j.api.Descriptor}, {@link io.soci4j.api.MediaTypes}, random access to blobs ({@link
 * io.soci4j.api.ByteSource}) and the exception hierarchy rooted at {@link
 * io.soci4j.api.SociException}.
 */
package io.soci4j.api;
