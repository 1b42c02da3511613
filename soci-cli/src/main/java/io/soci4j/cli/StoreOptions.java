package io.soci4j.cli;

import io.soci4j.api.ImageStore;
import io.soci4j.api.Platform;
import io.soci4j.registry.CredentialsProvider;
import io.soci4j.registry.ImageReference;
import io.soci4j.registry.RegistryClient;
import io.soci4j.registry.layout.OciLayoutStore;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * Options shared by commands that open an image, and the opening itself. An image is named
 * either by a registry reference ({@code registry/repo:tag}, {@code repo@sha256:...}) or by an
 * OCI image layout directory: {@code oci:<dir>[:<ref>]} (split at the first colon, as skopeo and
 * upstream do: {@code oci:layout:demo:1} is ref {@code demo:1} in {@code layout}) or {@code
 * oci:<dir>@sha256:...} (ref {@code latest} when none is given). Layouts are opened read-only
 * unless the command writes ({@link #openWritable}).
 */
final class StoreOptions {
  @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE) picocli.CommandLine.Model.CommandSpec mixee;

  @Option(names = "--plain-http", description = "Talk HTTP, not HTTPS, to the registry.")
  boolean plainHttp;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "20",
      description = "Abandon a registry connection that sends nothing for this long and retry on a fresh one "
          + "(a cut download resumes where it stopped); default: ${DEFAULT-VALUE}.")
  int timeoutSeconds;

  @Option(names = "--insecure", description = "Accept any TLS certificate from the registry.")
  boolean insecure;

  @Option(names = {"-p", "--platform"}, paramLabel = "OS/ARCH[/VARIANT]",
      description = "Platform to pick in a multi-platform image (default: this machine's); create and convert "
          + "take it more than once.")
  List<String> platforms = new ArrayList<>();

  /**
   * An opened image: the store, the tag or digest inside it, what to close after, and the
   * registry client (empty for a layout), for its transfer statistics.
   */
  record Opened(ImageStore store, String reference, Closeable resource, java.util.Optional<RegistryClient> client)
      implements Closeable {
    @Override
    public void close() throws IOException {
      store.close();
      resource.close();
    }
  }

  /** {@return the one platform asked for, or this machine's} */
  Platform platform() {
    if (platforms.size() > 1) {
      throw new CommandLine.ParameterException(mixee.commandLine(),
          "--platform is given " + platforms.size() + " times; this command reads one platform");
    }
    return platforms.isEmpty() ? Platform.current() : Platform.parse(platforms.get(0));
  }

  /** {@return every platform asked for, parsed, in order} */
  List<Platform> platformList() {
    return platforms.stream().map(Platform::parse).toList();
  }

  /** An {@code oci:} reference split into the directory and the reference inside it. */
  record LayoutRef(Path dir, String reference) {
    static LayoutRef parse(String ref) {
      String rest = ref.substring(4);
      int at = rest.indexOf("@sha256:");
      if (at > 0) {
        return new LayoutRef(Path.of(rest.substring(0, at)), rest.substring(at + 1));
      }
      int colon = rest.indexOf(':');
      if (colon == 0 || rest.isEmpty()) {
        throw new IllegalArgumentException("invalid reference '" + ref + "': want oci:<dir>[:<ref>]");
      }
      return colon < 0 ? new LayoutRef(Path.of(rest), "latest")
          : new LayoutRef(Path.of(rest.substring(0, colon)), rest.substring(colon + 1));
    }
  }

  /** Opens an image for reading: an OCI layout is opened read-only and never created. */
  Opened open(String ref) throws IOException {
    return open(ref, false);
  }

  /** Opens an image for a command that writes next to it (an OCI layout is created when missing). */
  Opened openWritable(String ref) throws IOException {
    return open(ref, true);
  }

  private Opened open(String ref, boolean writable) throws IOException {
    if (ref.startsWith("oci:")) {
      LayoutRef layout = LayoutRef.parse(ref);
      OciLayoutStore store = writable ? OciLayoutStore.open(layout.dir()) : OciLayoutStore.openReadOnly(layout.dir());
      return new Opened(store, layout.reference(), () -> { }, java.util.Optional.empty());
    }
    ImageReference image = ImageReference.parse(ref);
    if (timeoutSeconds < 1) {
      throw new IllegalArgumentException("--timeout must be at least 1 second, got " + timeoutSeconds);
    }
    RegistryClient.Builder b = RegistryClient.builder().credentials(CredentialsProvider.defaults())
        .readTimeout(java.time.Duration.ofSeconds(timeoutSeconds))
        .connectTimeout(java.time.Duration.ofSeconds(Math.min(10, timeoutSeconds)))
        .platform(platforms.isEmpty() ? Platform.current() : Platform.parse(platforms.get(0)));
    if (plainHttp) {
      b.plainHttp(image.registry());
    }
    if (insecure) {
      b.insecure(image.registry());
    }
    RegistryClient client = b.build();
    return new Opened(client.store(image), image.reference(), client::close, java.util.Optional.of(client));
  }

  /**
   * The SOCI index discovery finds for an opened image, for the platform asked for.
   *
   * @param image the opened image
   * @param ref how the user named it, for the message
   * @return the index
   * @throws io.soci4j.api.ContentNotFoundException when there is none, saying how to make one
   * @throws IOException on store failures
   */
  io.soci4j.ztoc.index.FoundIndex requireIndex(Opened image, String ref) throws IOException {
    return io.soci4j.ztoc.index.SociIndexFinder.forPlatform(platform()).find(image.store(), image.reference())
        .orElseThrow(() -> new io.soci4j.api.ContentNotFoundException("SOCI index of " + ref,
            "make one with 'soci convert " + ref + " NEW_TAG'"));
  }
}
