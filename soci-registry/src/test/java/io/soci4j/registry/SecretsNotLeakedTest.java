package io.soci4j.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.soci4j.api.Descriptor;
import io.soci4j.api.MediaTypes;
import io.soci4j.registry.internal.auth.BearerToken;
import io.soci4j.registry.internal.auth.TokenKey;
import io.soci4j.registry.testing.FaultProxy;
import io.soci4j.registry.testing.RecordedRequest;
import io.soci4j.registry.testing.RegistryExtension;
import io.soci4j.registry.testing.TokenServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Passwords, Basic headers, bearer tokens and signed-URL queries never reach logs (at debug
 * level), exception messages or toString. Runs a bearer flow with pushes and failures against a
 * real registry behind a token-demanding proxy (token server played by MockWebServer), capturing
 * the log output.
 */
class SecretsNotLeakedTest {
  @RegisterExtension
  static final RegistryExtension REGISTRY = RegistryExtension.plain();
  private static final String PASSWORD = "Sup3r-S3cret-Pa55";

  @Test
  void noSecretInLogsMessagesOrToString() throws Exception {
    List<String> texts = new ArrayList<>();
    List<String> secrets = new ArrayList<>(List.of(PASSWORD,
        Base64.getEncoder().encodeToString(("robot:" + PASSWORD).getBytes(StandardCharsets.UTF_8))));
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream original = System.err;
    try (TokenServer tokens = TokenServer.start(); FaultProxy proxy = FaultProxy.start(REGISTRY.url())) {
      tokens.requireBasic("robot", PASSWORD);
      proxy.requireBearer(tokens.realm());
      proxy.respond("GET", "/v2/secret/app/blobs/.*", 1, 500, Map.of(), "");
      Credential credential = Credential.basic("robot", PASSWORD);
      System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
      try (RegistryClient client = RegistryClient.builder().plainHttp().maxRetries(1)
          .credentials(CredentialsProvider.of(proxy.registry(), credential)).build()) {
        RegistryStore store = client.store(ImageReference.parse(proxy.registry() + "/secret/app"));
        byte[] blob = "some layer".getBytes(StandardCharsets.UTF_8);
        Descriptor d = Descriptor.of(MediaTypes.OCI_LAYER_TAR, blob);
        store.push(d, blob);
        texts.add(new String(store.fetch(d), StandardCharsets.UTF_8));
        try {
          store.manifest("missing");
        } catch (RegistryNotFoundException e) {
          texts.add(e.getMessage());
          texts.add(e.toString());
        }
        tokens.requireBasic("robot", "changed");
        try (RegistryClient other = RegistryClient.builder().plainHttp()
            .credentials(CredentialsProvider.of(proxy.registry(), credential)).build()) {
          other.store(ImageReference.parse(proxy.registry() + "/secret/app")).manifest("x");
        } catch (RegistryException e) {
          texts.add(e.getMessage());
        }
        texts.add(client.toString());
        texts.add(store.toString());
      } finally {
        System.setErr(original);
      }
      secrets.addAll(authorizationValues(proxy));
      texts.add(credential.toString());
      texts.add(Credential.identityToken("u", PASSWORD).toString());
      texts.add(new BearerToken(PASSWORD, Instant.EPOCH).toString());
      texts.add(new TokenKey("o", "r", "s", "x", credential).toString());
    }
    String logged = log.toString(StandardCharsets.UTF_8);
    assertThat(logged).as("the capture works").contains("new token for").contains("PUT http://");
    assertThat(secrets).hasSizeGreaterThan(3);
    for (String secret : secrets) {
      assertThat(logged).doesNotContain(secret);
      assertThat(texts).noneMatch(t -> t.contains(secret));
    }
    assertThat(logged).doesNotContain("_state=").doesNotContain("digest=sha256");
  }

  /**
   * A registry and a token server that echo the request (headers, signed query) into their OCI
   * error bodies: the messages, {@code toString} and the debug log carry none of the secrets.
   */
  @Test
  void serversThatReflectTheRequestIntoErrorBodiesLeakNothing() throws Exception {
    List<String> texts = new ArrayList<>();
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream original = System.err;
    List<String> secrets = new ArrayList<>(List.of(PASSWORD,
        Base64.getEncoder().encodeToString(("robot:" + PASSWORD).getBytes(StandardCharsets.UTF_8))));
    try (TokenServer tokens = TokenServer.start(); FaultProxy proxy = FaultProxy.start(REGISTRY.url())) {
      tokens.requireBasic("robot", PASSWORD);
      proxy.requireBearer(tokens.realm());
      proxy.inject("GET", "/v2/secret/app/manifests/.*", 100, FaultProxy.Kind.REFLECT);
      proxy.inject("GET", "/v2/secret/app/blobs/.*", 100, FaultProxy.Kind.REFLECT);
      Credential credential = Credential.basic("robot", PASSWORD);
      System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
      try (RegistryClient client = RegistryClient.builder().plainHttp().maxRetries(0)
          .credentials(CredentialsProvider.of(proxy.registry(), credential)).build()) {
        RegistryStore store = client.store(ImageReference.parse(proxy.registry() + "/secret/app"));
        for (Runnable r : List.<Runnable>of(() -> call(() -> store.manifest("v1")),
            () -> call(() -> store.fetch(Descriptor.of(MediaTypes.OCI_LAYER_TAR, io.soci4j.api.Digest.sha256(
                new byte[] {1}), 1))))) {
          try {
            r.run();
          } catch (IllegalStateException e) {
            texts.add(e.getCause().getMessage());
            texts.add(e.getCause().toString());
            assertThat(e.getCause().getMessage()).as("the server's message is kept, scrubbed").contains("you sent")
                .contains("<redacted>");
          }
        }
        tokens.reflect();
        try (RegistryClient fresh = RegistryClient.builder().plainHttp().maxRetries(0)
            .credentials(CredentialsProvider.of(proxy.registry(), credential)).build()) {
          fresh.store(ImageReference.parse(proxy.registry() + "/secret/app")).manifest("v2");
        } catch (RegistryException e) {
          texts.add(e.getMessage());
          assertThat(e.getMessage()).contains("you sent");
        }
      } finally {
        System.setErr(original);
      }
      secrets.addAll(authorizationValues(proxy));
    }
    String logged = log.toString(StandardCharsets.UTF_8);
    texts.add(logged);
    assertThat(secrets).as("a password, its Basic form and bearer tokens").hasSizeGreaterThan(2);
    assertThat(texts).hasSizeGreaterThan(3);
    for (String secret : secrets) {
      assertThat(texts).as(secret).noneMatch(t -> t.contains(secret));
    }
  }

  private interface IoCall {
    Object run() throws Exception;
  }

  private static void call(IoCall c) {
    try {
      c.run();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    throw new AssertionError("the reflecting server's error was expected");
  }

  /** The credentials and tokens the client sent through the proxy (what must never be echoed). */
  private static List<String> authorizationValues(FaultProxy proxy) {
    List<String> out = new ArrayList<>();
    for (RecordedRequest r : proxy.requests()) {
      String auth = r.header("Authorization");
      if (auth != null) {
        out.add(auth.substring(auth.indexOf(' ') + 1));
      }
    }
    return out;
  }
}
