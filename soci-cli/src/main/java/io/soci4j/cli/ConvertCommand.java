package io.soci4j.cli;

import io.soci4j.api.ImageStore;
import io.soci4j.ztoc.index.IndexBuildException;
import io.soci4j.ztoc.index.SociConverter;
import io.soci4j.ztoc.index.SociIndexBuilder;
import io.soci4j.ztoc.index.ZstdConverter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code soci convert}: make a SOCI-enabled image (SOCI index v2), byte for byte as upstream's. */
@Command(name = "convert", description = {
    "Convert an image into a SOCI-enabled image: the SOCI index v2 form that AWS Fargate and upstream "
        + "soci-snapshotter read, byte for byte what upstream's soci convert writes. The original is untouched.",
    "",
    "  soci convert REF NEW_TAG: REF is a registry reference or oci:<dir>[:<ref>]; the result goes to the same "
        + "repository or layout, tagged NEW_TAG.",
    "  soci convert --standalone [--format oci-archive|oci-dir] SRC DST: SRC is an OCI layout directory or an OCI "
        + "archive (tar) and is only read; DST is a new layout directory or archive holding SRC's blobs and the "
        + "new ones, its index.json listing only the SOCI-enabled image.",
    "",
    "Platforms: --platform (repeatable) or --all-platforms; by default this machine's platform for a multi-platform "
        + "image and the image's own platform for a single manifest. Prints the new image index digest. With --zstd "
        + "the layers are first recompressed as seekable zstd (a soci4j extension upstream does not read)."})
final class ConvertCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin StoreOptions store;

  @Mixin CreateCommand.IndexBuildOptions build;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Option(names = "--standalone", description = "Convert an OCI layout directory or archive SRC into a new "
      + "layout DST (see above) instead of tagging in place.")
  boolean standalone;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "oci-archive",
      description = "Output of --standalone: oci-archive (a tar file) or oci-dir (a directory); default: "
          + "${DEFAULT-VALUE}, as upstream.")
  String format;

  @Option(names = "--zstd", description = "Recompress tar, tar+gzip and tar+zstd layers as seekable zstd "
      + "(media type tar+zstd) before indexing them.")
  boolean zstd;

  @Option(names = "--zstd-level", paramLabel = "N", defaultValue = "3",
      description = "zstd level with --zstd (default: ${DEFAULT-VALUE}).")
  int zstdLevel;

  @Option(names = "--no-seek-table", description = "With --zstd, do not end layers with a zstd seekable-format "
      + "seek table.")
  boolean noSeekTable;

  @Parameters(index = "0", paramLabel = "REF|SRC", description = "Image: registry reference or "
      + "oci:<dir>[:<ref>]; with --standalone an OCI layout directory or archive.")
  String ref;

  @Parameters(index = "1", paramLabel = "NEW_TAG|DST", description = "Tag for the SOCI-enabled image; with "
      + "--standalone the output directory or archive.")
  String target;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    SociIndexBuilder builder = build.builder(store, err);
    SociConverter.ConvertedImage converted;
    try {
      if (standalone) {
        StandaloneConversion.Format f = StandaloneConversion.Format.parse(format);
        SociConverter.ConvertedImage[] result = new SociConverter.ConvertedImage[1];
        StandaloneConversion.run(Path.of(ref.startsWith("oci:") ? ref.substring(4) : ref), Path.of(target), f,
            (s, root) -> (result[0] = convert(builder, s, root)).index());
        converted = result[0];
      } else {
        try (StoreOptions.Opened image = store.openWritable(ref)) {
          converted = convert(builder, image.store(), image.reference());
          image.store().tag(converted.index(), target);
        }
      }
    } catch (IndexBuildException e) {
      CreateCommand.printReports(err, e.reports());
      throw e;
    }
    CreateCommand.printNotes(err, converted.platforms());
    if (json) {
      spec.commandLine().getOut().println(Json.write(Map.of("index", Json.descriptor(converted.index()),
          "platforms", converted.platforms().stream().map(Json::platformIndex).toList())));
    } else {
      spec.commandLine().getOut().println(converted.index().digest());
    }
    return 0;
  }

  private SociConverter.ConvertedImage convert(SociIndexBuilder builder, ImageStore s, String reference)
      throws IOException {
    return zstd ? ZstdConverter.of(builder).withLevel(zstdLevel).withSeekTable(!noSeekTable).convert(s, reference)
        : SociConverter.of(builder).convert(s, reference);
  }
}
