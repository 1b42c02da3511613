package io.soci4j.registry.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs Debian's skopeo for the tests, with no signature policy; a missing skopeo fails the test,
 * never skips it ({@link Commands#require}).
 */
public final class Skopeo {
  private Skopeo() {}

  /**
   * {@code skopeo --insecure-policy <args>}, e.g. {@code run("inspect", "--raw", "oci:/dir:v1")}.
   *
   * @param args the arguments
   * @return its standard output
   * @throws IOException when skopeo fails; the message has the command line and skopeo's stderr
   */
  public static byte[] run(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(Commands.require("skopeo", "SOCI4J_SKOPEO", "skopeo").toString(),
        "--insecure-policy"));
    command.addAll(List.of(args));
    return Commands.check(300, command);
  }

  /**
   * {@code skopeo copy --all --preserve-digests oci:<layout>:<tag> docker://<dest>}.
   *
   * @param layout the OCI layout directory
   * @param tag the tag in the layout
   * @param dest {@code host:port/repo:tag}
   * @param creds {@code user:password}, or null
   * @throws IOException when skopeo fails
   */
  public static void copyToRegistry(Path layout, String tag, String dest, String creds) throws IOException {
    List<String> args = new ArrayList<>(List.of("copy", "--all", "--preserve-digests", "--dest-tls-verify=false"));
    if (creds != null) {
      args.addAll(List.of("--dest-creds", creds));
    }
    args.addAll(List.of("oci:" + layout.toAbsolutePath() + ":" + tag, "docker://" + dest));
    run(args.toArray(String[]::new));
  }

  /**
   * {@code skopeo inspect --raw docker://<ref>}: the manifest bytes exactly as the registry serves
   * them.
   *
   * @param ref {@code host:port/repo:tag} or {@code host:port/repo@sha256:...}
   * @return the bytes
   * @throws IOException when skopeo fails
   */
  public static byte[] inspectRaw(String ref) throws IOException {
    return run("inspect", "--raw", "--tls-verify=false", "docker://" + ref);
  }
}
