package com.example;

import io.soci4j.api.ImageStore;
import io.soci4j.reader.SociImage;
import io.soci4j.registry.ImageReference;
import io.soci4j.registry.RegistryClient;
import io.soci4j.ztoc.index.SociConverter;
import io.soci4j.ztoc.index.SociIndexBuilder;

/** The README's first Java example, in a user's project: {@code REGISTRY REPO PATH} (plain HTTP). */
public final class ReadmeExample {
  public static void main(String[] args) throws Exception {
    String registry = args[0];
    try (RegistryClient client = RegistryClient.builder().plainHttp(registry).build()) {
      ImageStore store = client.store(ImageReference.parse(registry + "/" + args[1] + ":1.0"));
      SociConverter.of(SociIndexBuilder.create().withAllPlatforms())
          .convert(store, "1.0", "1.0-soci");                               // SOCI index v2, as upstream's soci convert
      try (SociImage image = SociImage.open(store, "1.0-soci")) {           // finds the index (v2 first, then v1 referrers)
        byte[] osRelease = image.readAllBytes(args[2]);                     // fetches only the spans it needs
        System.out.write(osRelease);
        System.out.flush();
        System.err.print(image.stats().format());
      }
    }
  }
}
