package io.soci4j.examples;

import io.soci4j.api.ByteSource;
import io.soci4j.ztoc.LayerReader;
import io.soci4j.ztoc.Ztoc;
import io.soci4j.ztoc.ZtocBuilder;
import io.soci4j.ztoc.ZtocCodec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The README's zTOC example: build the zTOC of a local tar.gz layer in one pass, serialize and
 * parse it, and read one file through it.
 *
 * <pre>
 * java -cp ... io.soci4j.examples.BuildZtoc layer.tar.gz etc/os-release
 * </pre>
 *
 * <p>The file goes to stdout; the zTOC's size and span count to stderr.
 */
public final class BuildZtoc {
  private BuildZtoc() {}

  /**
   * @param args {@code LAYER_FILE PATH}
   * @throws IOException on failure
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: BuildZtoc LAYER_FILE PATH");
      System.exit(2);
    }
    Ztoc ztoc;
    try (InputStream layer = Files.newInputStream(Path.of(args[0]))) {
      ztoc = ZtocBuilder.create()
          .withSpanSize(4 << 20)                      // upstream's default
          .withBuildToolIdentifier("AWS SOCI CLI v0.2")
          .build(layer);                              // reads the stream once; no temp files
    }
    byte[] bytes = ZtocCodec.serialize(ztoc);         // identical to upstream's bytes for the same inputs
    Ztoc again = ZtocCodec.parse(bytes);              // validates everything; ZtocFormatException on bad input
    System.err.println("zTOC: " + bytes.length + " bytes, " + again.spans().size() + " spans, "
        + again.toc().size() + " entries");

    try (ByteSource blob = ByteSource.open(Path.of(args[0]))) {
      LayerReader reader = LayerReader.of(again, blob);  // verifies span digests
      System.out.write(reader.readFile(args[1]));        // fetches only the spans holding the file
      System.out.flush();
    }
  }
}
