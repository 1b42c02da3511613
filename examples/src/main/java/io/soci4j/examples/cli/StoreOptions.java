package io.soci4j.examples.cli;

import io.soci4j.api.ImageStore;
import io.soci4j.api.Platform;
import io.soci4j.registry.CredentialsProvider;
import io.soci4j.registry.ImageReference;
import io.soci4j.registry.RegistryClient;
import io.soci4j.registry.layout.OciLayoutStore;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Options shared by commands that open an image, and the opening itself. An image is named
 * either by a registry reference ({@code registry/repo:tag}, {@code repo@sha256:...}) or by an
 * OCI image layout directory: {@code oci:<dir>[:<tag>]} or {@code oci:<dir>@sha256:...} (tag
 * {@code latest} when none is given).
 */
final class StoreOptions {
  @Option(names = "--plain-http", description = "Talk HTTP, not HTTPS, to the registry.")
  boolean plainHttp;

  @Option(names = "--insecure", description = "Accept any TLS certificate from the registry.")
  boolean insecure;

  @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
      description = "Platform to pick in a multi-platform image (default: this machine's).")
  String platform;

  /** An opened image: the store, the tag or digest inside it, and what to close after. */
  record Opened(ImageStore store, String reference, Closeable resource) implements Closeable {
    @Override
    public void close() throws IOException {
      store.close();
      resource.close();
    }
  }

  Platform platform() {
    return platform == null ? Platform.current() : Platform.parse(platform);
  }

  Opened open(String ref) throws IOException {
    if (ref.startsWith("oci:")) {
      String rest = ref.substring(4);
      String reference = "latest";
      int at = rest.lastIndexOf('@');
      int colon = rest.lastIndexOf(':');
      if (at > 0) {
        reference = rest.substring(at + 1);
        rest = rest.substring(0, at);
      } else if (colon > 0 && colon > rest.lastIndexOf('/')) {
        reference = rest.substring(colon + 1);
        rest = rest.substring(0, colon);
      }
      OciLayoutStore store = OciLayoutStore.open(Path.of(rest));
      return new Opened(store, reference, () -> { });
    }
    ImageReference image = ImageReference.parse(ref);
    RegistryClient.Builder b = RegistryClient.builder().credentials(CredentialsProvider.defaults()).platform(platform());
    if (plainHttp) {
      b.plainHttp(image.registry());
    }
    if (insecure) {
      b.insecure(image.registry());
    }
    RegistryClient client = b.build();
    return new Opened(client.store(image), image.reference(), client::close);
  }
}
