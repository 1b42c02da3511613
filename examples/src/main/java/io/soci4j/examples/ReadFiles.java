package io.soci4j.examples;

import io.soci4j.api.ImageStore;
import io.soci4j.reader.SociImage;
import io.soci4j.reader.nio.SociFileSystemProvider;
import io.soci4j.registry.ImageReference;
import io.soci4j.registry.RegistryClient;
import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.util.Map;
import java.util.stream.Stream;

/**
 * soci-reader's README example: read a file and list a directory of a SOCI-enabled (or v1-indexed)
 * image, then walk it through {@code java.nio.file}, without pulling it.
 *
 * <pre>
 * java -cp ... io.soci4j.examples.ReadFiles [--plain-http] registry.example.com/app:1.0-soci /etc
 * </pre>
 */
public final class ReadFiles {
  private ReadFiles() {}

  /**
   * @param args {@code [--plain-http] IMAGE DIRECTORY}
   * @throws IOException on failure
   */
  public static void main(String[] args) throws IOException {
    boolean plainHttp = args.length == 3 && args[0].equals("--plain-http");
    ImageReference ref = ImageReference.parse(args[plainHttp ? 1 : 0]);
    String directory = args[plainHttp ? 2 : 1];
    RegistryClient.Builder b = RegistryClient.builder();               // Docker config, ECR, anonymous
    if (plainHttp) {
      b.plainHttp(ref.registry());                                     // only for a local registry without TLS
    }
    try (RegistryClient client = b.build()) {
      ImageStore store = client.store(ref);
      try (SociImage image = SociImage.open(store, ref.reference())) { // any ImageStore: registry, OCI layout, memory
        image.list(directory).forEach(e -> System.out.println(e.name() + " " + e.size()));
        System.err.print(image.stats().format());
      }
      // or through java.nio.file
      try (FileSystem fs = FileSystems.newFileSystem(URI.create("soci:app"),
          Map.of(SociFileSystemProvider.ENV_STORE, store, SociFileSystemProvider.ENV_REFERENCE, ref.reference()));
          Stream<java.nio.file.Path> all = Files.walk(fs.getPath("/"))) {
        System.out.println("walk: " + all.count() + " paths");
      }
    }
  }
}
