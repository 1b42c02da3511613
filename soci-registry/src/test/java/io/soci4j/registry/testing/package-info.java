/**
 * Test support for registry and store tests (test scope, shared as soci-registry's test-jar):
 * {@link io.soci4j.registry.testing.RegistryExtension} starts Debian's docker-registry 2.8 per
 * test class (plain, htpasswd, htpasswd + redirect to a
 * {@link io.soci4j.registry.testing.RecordingFileServer}); {@link io.soci4j.registry.testing.Skopeo}
 * and {@link io.soci4j.registry.testing.Commands} run the external tools;
 * {@link io.soci4j.registry.testing.TestImage} builds seeded images, indexes and artifacts and the
 * two-platform image the registry tests pull; {@link io.soci4j.registry.testing.FaultProxy}
 * injects faults in front of a registry, can demand tokens from a
 * {@link io.soci4j.registry.testing.TokenServer} (MockWebServer) and can limit its bandwidth with a
 * {@link io.soci4j.registry.testing.TokenBucket}. Missing tools fail the tests, never skip them.
 */
package io.soci4j.registry.testing;
