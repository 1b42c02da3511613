package io.soci4j.registry.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.soci4j.registry.Credential;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Docker config.json: auths (auth, identitytoken, registrytoken, host-name keys, Docker Hub's
 * key), credHelpers and credsStore through real helper executables (shell scripts speaking the
 * docker-credential-helpers protocol), DOCKER_CONFIG.
 */
class DockerConfigCredentialsTest {
  @TempDir
  Path dir;

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private DockerConfigCredentials provider(String json) throws Exception {
    Path config = Files.createDirectories(dir.resolve("cfg"));
    Files.writeString(config.resolve("config.json"), json.replace('\'', '"'));
    return DockerConfigCredentials.fromEnvironment(Map.of("DOCKER_CONFIG", config.toString(),
        "PATH", dir.resolve("bin").toString()), dir.resolve("home"));
  }

  private void helper(String name, String script) throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path exe = bin.resolve("docker-credential-" + name);
    Files.writeString(exe, "#!/bin/sh\n" + script);
    Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @Test
  void readsAuthsByExactKeyHostNameAndDockerHubKey() throws Exception {
    DockerConfigCredentials p = provider("{'auths':{"
        + "'https://index.docker.io/v1/':{'auth':'" + b64("hubuser:hub:pass") + "'},"
        + "'https://registry.example.com/v2/':{'auth':'" + b64("alice:secret\0") + "'},"
        + "'localhost:5000':{'username':'bob','password':'pw'},"
        + "'ghcr.io':{'identitytoken':'refresh-me'},"
        + "'tok.example.com':{'registrytoken':'direct'}}}");
    assertThat(p.credentialFor("docker.io")).contains(Credential.basic("hubuser", "hub:pass"));
    assertThat(p.credentialFor("registry.example.com")).contains(Credential.basic("alice", "secret"));
    assertThat(p.credentialFor("localhost:5000")).contains(Credential.basic("bob", "pw"));
    assertThat(p.credentialFor("ghcr.io")).contains(Credential.identityToken("", "refresh-me"));
    assertThat(p.credentialFor("tok.example.com")).contains(Credential.registryToken("direct"));
    assertThat(p.credentialFor("other.example.com")).isEmpty();
  }

  @Test
  void credHelperWinsAndGetsTheServerUrlOnStdin() throws Exception {
    helper("mine", """
        read url
        if [ "$1" = get ] && [ "$url" = registry.example.com ]; then
          echo '{"ServerURL":"registry.example.com","Username":"carol","Secret":"from-helper"}'
        else
          echo 'credentials not found in native keychain'; exit 1
        fi
        """);
    DockerConfigCredentials p = provider("{'credHelpers':{'registry.example.com':'mine'},'auths':{"
        + "'registry.example.com':{'auth':'" + b64("ignored:ignored") + "'}}}");
    assertThat(p.credentialFor("registry.example.com")).contains(Credential.basic("carol", "from-helper"));
  }

  @Test
  void credsStoreNotFoundFallsBackToAuthsAndTokenUserMeansIdentityToken() throws Exception {
    helper("store", """
        read url
        if [ "$url" = https://index.docker.io/v1/ ]; then
          echo '{"ServerURL":"x","Username":"<token>","Secret":"refresh"}'
        else
          echo 'credentials not found in native keychain'; exit 1
        fi
        """);
    DockerConfigCredentials p = provider("{'credsStore':'store','auths':{'r.example.com':{'auth':'"
        + b64("dave:pw") + "'}}}");
    assertThat(p.credentialFor("docker.io")).contains(Credential.identityToken("<token>", "refresh"));
    assertThat(p.credentialFor("r.example.com")).contains(Credential.basic("dave", "pw"));
    assertThat(p.credentialFor("nothing.example.com")).isEmpty();
  }

  @Test
  void aFailingOrMissingHelperIsAnErrorWithoutItsOutput() throws Exception {
    helper("broken", "echo 'secret-in-output'; exit 3\n");
    DockerConfigCredentials p = provider("{'credHelpers':{'a.example.com':'broken','b.example.com':'absent'}}");
    assertThatThrownBy(() -> p.credentialFor("a.example.com"))
        .hasMessageContaining("docker-credential-broken get failed with exit code 3")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret-in-output"));
    assertThatThrownBy(() -> p.credentialFor("b.example.com"))
        .hasMessageContaining("docker-credential-absent is configured but not on the PATH");
  }

  @Test
  void missingConfigMeansNoCredentialsAndHomeIsTheDefault() throws Exception {
    Path home = Files.createDirectories(dir.resolve("home2"));
    DockerConfigCredentials none = DockerConfigCredentials.fromEnvironment(Map.of(), home);
    assertThat(none.credentialFor("docker.io")).isEmpty();
    Files.createDirectories(home.resolve(".docker"));
    Files.writeString(home.resolve(".docker/config.json"), "{\"auths\":{\"h.io\":{\"auth\":\"" + b64("u:p") + "\"}}}");
    assertThat(DockerConfigCredentials.fromEnvironment(Map.of(), home).credentialFor("h.io"))
        .contains(Credential.basic("u", "p"));
  }
}
