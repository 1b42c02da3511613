/**
 * An OCI distribution client for SOCI: {@link io.soci4j.registry.RegistryClient} (options, auth,
 * connections) and {@link io.soci4j.registry.RegistryStore} (one repository as an
 * {@link io.soci4j.api.ImageStore}: manifests, blobs, HTTP range reads, pushes, referrers), image
 * references ({@link io.soci4j.registry.ImageReference}), the OCI manifest model
 * ({@link io.soci4j.registry.ImageManifest}, {@link io.soci4j.registry.ImageIndex},
 * {@link io.soci4j.registry.ImageConfig}), credentials
 * ({@link io.soci4j.registry.CredentialsProvider}: static, docker {@code config.json} and helpers,
 * Amazon ECR) and errors with context ({@link io.soci4j.registry.RegistryException},
 * {@link io.soci4j.registry.RegistryNotFoundException}).
 *
 * <p>Everything under {@code io.soci4j.registry.internal} is implementation and may change.
 */
package io.soci4j.registry;
