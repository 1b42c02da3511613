package io.soci4j.registry.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs Debian's skopeo against the test registries (plain http, no TLS verification). */
public final class Skopeo {
  private Skopeo() {}

  private static String binary() {
    return Commands.require("skopeo", "SOCI4J_SKOPEO", "skopeo").toString();
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
    List<String> cmd = new ArrayList<>(List.of(binary(), "--insecure-policy", "copy", "--all", "--preserve-digests",
        "--dest-tls-verify=false"));
    if (creds != null) {
      cmd.add("--dest-creds");
      cmd.add(creds);
    }
    cmd.add("oci:" + layout.toAbsolutePath() + ":" + tag);
    cmd.add("docker://" + dest);
    Commands.check(120, cmd);
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
    return Commands.check(60, List.of(binary(), "--insecure-policy", "inspect", "--raw", "--tls-verify=false",
        "docker://" + ref));
  }

  /**
   * {@code skopeo copy --all --preserve-digests <src> <dest>} between any two transports, e.g.
   * {@code docker://127.0.0.1:5000/app:v1} to {@code oci:/path/layout:v1}.
   *
   * @param src the source image name with its transport
   * @param dest the destination image name with its transport
   * @throws IOException when skopeo fails
   */
  public static void copy(String src, String dest) throws IOException {
    Commands.check(120, List.of(binary(), "--insecure-policy", "copy", "--all", "--preserve-digests",
        "--src-tls-verify=false", "--dest-tls-verify=false", src, dest));
  }
}
