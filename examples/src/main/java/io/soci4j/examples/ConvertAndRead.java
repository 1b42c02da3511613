package io.soci4j.examples;

import io.soci4j.api.ImageStore;
import io.soci4j.reader.SociImage;
import io.soci4j.registry.ImageReference;
import io.soci4j.registry.RegistryClient;
import io.soci4j.ztoc.index.SociConverter;
import io.soci4j.ztoc.index.SociIndexBuilder;
import java.io.IOException;

/**
 * The README's first example: make an image in a registry SOCI-enabled (SOCI index v2, as
 * upstream's {@code soci convert}) and read one file of it without pulling the image.
 *
 * <pre>
 * java -cp ... io.soci4j.examples.ConvertAndRead [--plain-http] registry.example.com/app:1.0 1.0-soci /etc/os-release
 * </pre>
 *
 * <p>The file goes to stdout, the fetch statistics to stderr.
 */
public final class ConvertAndRead {
  private ConvertAndRead() {}

  /**
   * @param args {@code [--plain-http] IMAGE NEW_TAG PATH}
   * @throws IOException on failure
   */
  public static void main(String[] args) throws IOException {
    boolean plainHttp = args.length == 4 && args[0].equals("--plain-http");
    if (args.length != (plainHttp ? 4 : 3)) {
      System.err.println("usage: ConvertAndRead [--plain-http] IMAGE NEW_TAG PATH");
      System.exit(2);
    }
    ImageReference ref = ImageReference.parse(args[plainHttp ? 1 : 0]);
    String newTag = args[plainHttp ? 2 : 1];
    String path = args[plainHttp ? 3 : 2];
    RegistryClient.Builder builder = RegistryClient.builder();    // Docker config, ECR, anonymous
    if (plainHttp) {
      builder.plainHttp(ref.registry());                            // a local registry without TLS
    }
    try (RegistryClient client = builder.build()) {
      ImageStore store = client.store(ref);
      SociConverter.of(SociIndexBuilder.create().withAllPlatforms())
          .convert(store, ref.reference(), newTag);                  // SOCI index v2, as upstream's soci convert
      try (SociImage image = SociImage.open(store, newTag)) {        // finds the index (v2 first, then v1)
        byte[] file = image.readAllBytes(path);                      // fetches only the spans it needs
        System.out.write(file);
        System.out.flush();
        System.err.print(image.stats().format());
      }
    }
  }
}
