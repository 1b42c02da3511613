package io.soci4j.ztoc.testing;

import io.soci4j.api.Digest;
import io.soci4j.ztoc.ZtocBuilder;
import io.soci4j.ztoc.ZtocCodec;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Builds the zTOC of a layer file and prints the digest of its serialized bytes: run in a child
 * JVM by tests that watch which files a build creates.
 */
public final class BuildZtocMain {
  private BuildZtocMain() {}

  /**
   * @param args layer path, span size
   * @throws Exception on failure (non-zero exit)
   */
  public static void main(String[] args) throws Exception {
    try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
      byte[] ztoc = ZtocCodec.serialize(ZtocBuilder.create().withSpanSize(Long.parseLong(args[1])).build(in));
      System.out.println(Digest.sha256(ztoc));
    }
  }
}
