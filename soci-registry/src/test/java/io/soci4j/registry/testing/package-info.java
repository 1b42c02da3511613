/**
 * Test support for registry tests (test scope): {@link io.soci4j.registry.testing.RegistryExtension}
 * starts Debian's docker-registry 2.8 per test class (plain, htpasswd, htpasswd + redirect to a
 * {@link io.soci4j.registry.testing.RecordingFileServer}); {@link io.soci4j.registry.testing.Skopeo}
 * copies images in and out; {@link io.soci4j.registry.testing.TestImage} writes a two-platform OCI
 * layout by hand; {@link io.soci4j.registry.testing.FaultProxy} injects faults in front of a registry
 * and can demand tokens from a {@link io.soci4j.registry.testing.TokenServer} (MockWebServer) or
 * limit its bandwidth with a {@link io.soci4j.registry.testing.TokenBucket}.
 * Missing tools fail the tests, never skip them.
 */
package io.soci4j.registry.testing;
