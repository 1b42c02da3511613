package io.soci4j.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.soci4j.ztoc.ZtocBuilder;
import io.soci4j.ztoc.index.IndexBuildException;
import io.soci4j.ztoc.index.LayerReport;
import io.soci4j.ztoc.index.PlatformIndex;
import io.soci4j.ztoc.index.SociIndexBuilder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code soci create}: build a v1 SOCI index for an image and publish it next to the image. */
@Command(name = "create", description = "Build a SOCI index (v1) for an image and publish it next to the image "
    + "(referrers API, or the fallback tag). Prints the index digest.")
final class CreateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin StoreOptions store;

  @Mixin IndexBuildOptions build;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Parameters(index = "0", paramLabel = "REF", description = "Image: registry reference or oci:<dir>[:<ref>].")
  String ref;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try (StoreOptions.Opened image = store.openWritable(ref)) {
      SociIndexBuilder builder = build.builder(store, spec.commandLine().getErr());
      List<PlatformIndex> built;
      try {
        built = builder.build(image.store(), image.reference());
      } catch (IndexBuildException e) {
        printReports(spec.commandLine().getErr(), e.reports());
        throw e;
      }
      printNotes(spec.commandLine().getErr(), built);
      if (json) {
        out.println(Json.write(built.stream().map(Json::platformIndex).toList()));
      } else {
        for (PlatformIndex p : built) {
          out.println(p.indexDescriptor().digest());
        }
      }
    }
    return 0;
  }

  /**
   * Prints, per layer, the zTOCs reused rather than built, and the notes of indexed layers (a
   * zstd layer that is one span: reads are not lazy).
   */
  static void printNotes(PrintWriter err, List<PlatformIndex> built) {
    for (PlatformIndex p : built) {
      for (LayerReport r : p.layers()) {
        if (r.status() == LayerReport.Status.REUSED) {
          err.printf(Locale.ROOT, "soci: layer %s -> ztoc %s (reused: already in the store)%n", r.layer().digest(),
              r.ztoc().digest());
        }
        if (r.indexed() && !r.reason().isEmpty()) {
          err.printf(Locale.ROOT, "soci: note: layer %s: %s%n", r.layer().digest(), r.reason());
        }
      }
    }
    err.flush();
  }

  static void printReports(PrintWriter err, List<LayerReport> reports) {
    for (LayerReport r : reports) {
      err.printf(Locale.ROOT, "layer %s: %s%s%n", r.layer().digest(), r.status().name().toLowerCase(Locale.ROOT),
          r.reason().isEmpty() ? "" : " (" + r.reason() + ")");
    }
    err.flush();
  }

  /** Options of the index builder shared by create and convert. */
  static final class IndexBuildOptions {
    @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE) CommandSpec mixee;

    @Option(names = "--span-size", paramLabel = "N", defaultValue = "4194304",
        description = "Span size of the zTOCs in bytes (default: ${DEFAULT-VALUE}).")
    long spanSize;

    @Option(names = "--min-layer-size", paramLabel = "N", defaultValue = "10485760",
        description = "Layers smaller than this get no zTOC (default: ${DEFAULT-VALUE}).")
    long minLayerSize;

    @Option(names = "--build-tool", paramLabel = "ID", defaultValue = ZtocBuilder.DEFAULT_BUILD_TOOL,
        description = "Build tool identifier (default: ${DEFAULT-VALUE}).")
    String buildTool;

    @Option(names = "--all-platforms", description = "Index every platform of a multi-platform image (the "
        + "platforms its entries name; attestations and other unknown/unknown entries are left out).")
    boolean allPlatforms;

    @Option(names = "--optimizations", paramLabel = "LIST", split = ",",
        description = "Optional optimizations: xattr (mark layers without extended attributes).")
    List<String> optimizations = new ArrayList<>();

    @Option(names = {"--prefetch-file", "--prefetch"}, paramLabel = "PATH",
        description = "A file whose spans go into a prefetch artifact (repeatable; the topmost layer holding it "
            + "wins).")
    List<String> prefetch = new ArrayList<>();

    @Option(names = "--prefetch-files-json", paramLabel = "FILE",
        description = "A JSON file holding an array of paths to prefetch, as --prefetch-file.")
    Path prefetchJson;

    @Option(names = {"-f", "--force"}, description = "Rebuild zTOCs even when the store has them for the same "
        + "layer and span size.")
    boolean force;

    @Mixin ProgressOptions progress;

    @Option(names = "--zstd-layers", description = "Also index tar+zstd layers (a soci4j extension: upstream "
        + "soci-snapshotter and AWS Fargate cannot read those zTOCs, so such layers are skipped by default).")
    boolean zstdLayers;

    /** The prefetch paths: --prefetch-file values, then the JSON file's; trimmed, empty ones dropped. */
    List<String> prefetchPaths() throws IOException {
      List<String> all = new ArrayList<>(prefetch);
      if (prefetchJson != null) {
        JsonNode list;
        try {
          list = new ObjectMapper().readTree(Files.readAllBytes(prefetchJson));
        } catch (JsonProcessingException e) {
          throw new IllegalArgumentException("--prefetch-files-json " + prefetchJson + " is not valid JSON: "
              + e.getOriginalMessage());
        }
        if (list == null || !list.isArray()) {
          throw new IllegalArgumentException("--prefetch-files-json " + prefetchJson
              + " must hold a JSON array of paths, e.g. [\"/app/main.py\"]");
        }
        for (JsonNode p : list) {
          if (!p.isTextual()) {
            throw new IllegalArgumentException("--prefetch-files-json " + prefetchJson + ": " + p
                + " is not a string");
          }
          all.add(p.asText());
        }
      }
      return all.stream().map(String::strip).filter(p -> !p.isEmpty()).toList();
    }

    SociIndexBuilder builder(StoreOptions store, PrintWriter err) throws IOException {
      for (String o : optimizations) {
        if (!o.equals("xattr")) {
          throw new IllegalArgumentException("unknown optimization '" + o + "': known: xattr");
        }
      }
      SociIndexBuilder b = SociIndexBuilder.create().withSpanSize(spanSize).withMinLayerSize(minLayerSize)
          .withBuildToolIdentifier(buildTool).withXattrOptimization(optimizations.contains("xattr"))
          .withPrefetchPaths(prefetchPaths()).withForceRecreate(force).withZstdLayers(zstdLayers)
          .withProgress(progress.sink(err, false));
      if (allPlatforms) {
        if (!store.platforms.isEmpty()) {
          throw new CommandLine.ParameterException(mixee.commandLine(),
              "--all-platforms and --platform exclude each other");
        }
        b = b.withAllPlatforms();
      } else {
        b = b.withPlatforms(store.platformList());
      }
      return b;
    }
  }
}
