/**
 * {@link io.soci4j.registry.layout.OciLayoutStore}: an {@link io.soci4j.api.ImageStore} over an
 * OCI image layout directory (image-spec {@code image-layout.md}), readable and writable by
 * skopeo ({@code oci:<dir>:<tag>}) and other OCI tools.
 */
package io.soci4j.registry.layout;
