package io.soci4j.examples.cli;

import io.soci4j.ztoc.index.IndexBuildException;
import io.soci4j.ztoc.index.SociConverter;
import io.soci4j.ztoc.index.SociIndexBuilder;
import io.soci4j.ztoc.index.ZstdConverter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code soci convert}: make a SOCI-enabled image (v2) under a new tag. */
@Command(name = "convert", description = "Convert an image into a SOCI-enabled image (v2 SOCI indexes in a new "
    + "image index) tagged NEW_TAG in the same repository; the original is untouched. Prints the new index digest. "
    + "All platforms are converted unless --platform is given. With --zstd the layers are first recompressed as "
    + "seekable zstd (standard zstd frames cut at the span size; zTOCs use a soci4j extension that upstream "
    + "soci-snapshotter does not read).")
final class ConvertCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin StoreOptions store;

  @Mixin CreateCommand.IndexBuildOptions build;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Option(names = "--zstd", description = "Recompress tar, tar+gzip and tar+zstd layers as seekable zstd "
      + "(media type tar+zstd) before indexing them.")
  boolean zstd;

  @Option(names = "--zstd-level", paramLabel = "N", defaultValue = "3",
      description = "zstd level with --zstd (default: ${DEFAULT-VALUE}).")
  int zstdLevel;

  @Option(names = "--no-seek-table", description = "With --zstd, do not end layers with a zstd seekable-format "
      + "seek table.")
  boolean noSeekTable;

  @Parameters(index = "0", paramLabel = "REF", description = "Image: registry reference or oci:<dir>[:<tag>].")
  String ref;

  @Parameters(index = "1", paramLabel = "NEW_TAG", description = "Tag for the SOCI-enabled image.")
  String newTag;

  @Override
  public Integer call() throws Exception {
    try (StoreOptions.Opened image = store.open(ref)) {
      SociConverter.ConvertedImage converted;
      try {
        SociIndexBuilder builder = build.builder(store, spec.commandLine().getErr());
        converted = zstd
            ? ZstdConverter.of(builder).withLevel(zstdLevel).withSeekTable(!noSeekTable)
                .convert(image.store(), image.reference(), newTag)
            : SociConverter.of(builder).convert(image.store(), image.reference(), newTag);
      } catch (IndexBuildException e) {
        CreateCommand.printReports(spec.commandLine().getErr(), e.reports());
        throw e;
      }
      CreateCommand.printNotes(spec.commandLine().getErr(), converted.platforms());
      if (json) {
        spec.commandLine().getOut().println(Json.write(java.util.Map.of("index", Json.descriptor(converted.index()),
            "platforms", converted.platforms().stream().map(Json::platformIndex).toList())));
      } else {
        spec.commandLine().getOut().println(converted.index().digest());
      }
    }
    return 0;
  }
}
