package io.soci4j.registry.layout;

import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import java.nio.file.Path;

/**
 * Runs in a child JVM for {@link OciLayoutStoreTest}: tags one manifest many times in a layout.
 * Arguments: layout dir, media type, digest, size, tag prefix, count.
 */
public final class TagInAnotherProcess {
  private TagInAnotherProcess() {}

  /**
   * @param args see the class comment
   * @throws Exception on failure (non-zero exit)
   */
  public static void main(String[] args) throws Exception {
    Descriptor manifest = Descriptor.of(args[1], Digest.parse(args[2]), Long.parseLong(args[3]));
    try (OciLayoutStore store = OciLayoutStore.open(Path.of(args[0]))) {
      int count = Integer.parseInt(args[5]);
      for (int i = 0; i < count; i++) {
        store.tag(manifest, args[4] + i);
      }
    }
  }
}
