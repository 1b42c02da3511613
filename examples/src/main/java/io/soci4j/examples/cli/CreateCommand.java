package io.soci4j.examples.cli;

import io.soci4j.api.Platform;
import io.soci4j.ztoc.ZtocBuilder;
import io.soci4j.ztoc.index.IndexBuildException;
import io.soci4j.ztoc.index.LayerReport;
import io.soci4j.ztoc.index.PlatformIndex;
import io.soci4j.ztoc.index.SociIndexBuilder;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
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

  @Parameters(index = "0", paramLabel = "REF", description = "Image: registry reference or oci:<dir>[:<tag>].")
  String ref;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try (StoreOptions.Opened image = store.open(ref)) {
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

  /** Prints the notes of indexed layers (a zstd layer that is one span: reads are not lazy). */
  static void printNotes(PrintWriter err, List<PlatformIndex> built) {
    for (PlatformIndex p : built) {
      for (LayerReport r : p.layers()) {
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
    @Option(names = "--span-size", paramLabel = "N", defaultValue = "4194304",
        description = "Span size of the zTOCs in bytes (default: ${DEFAULT-VALUE}).")
    long spanSize;

    @Option(names = "--min-layer-size", paramLabel = "N", defaultValue = "10485760",
        description = "Layers smaller than this get no zTOC (default: ${DEFAULT-VALUE}).")
    long minLayerSize;

    @Option(names = "--build-tool", paramLabel = "ID", defaultValue = ZtocBuilder.DEFAULT_BUILD_TOOL,
        description = "Build tool identifier (default: ${DEFAULT-VALUE}).")
    String buildTool;

    @Option(names = "--all-platforms", description = "Index every platform of a multi-platform image.")
    boolean allPlatforms;

    @Option(names = "--optimizations", paramLabel = "LIST", split = ",",
        description = "Optional optimizations: xattr (mark layers without extended attributes).")
    List<String> optimizations = new ArrayList<>();

    @Option(names = "--prefetch", paramLabel = "PATH", description = "A file to prefetch (repeatable).")
    List<String> prefetch = new ArrayList<>();

    @Option(names = "--force", description = "Rebuild zTOCs that already exist.")
    boolean force;

    SociIndexBuilder builder(StoreOptions store, PrintWriter err) {
      for (String o : optimizations) {
        if (!o.equals("xattr")) {
          throw new IllegalArgumentException("unknown optimization '" + o + "': known: xattr");
        }
      }
      SociIndexBuilder b = SociIndexBuilder.create().withSpanSize(spanSize).withMinLayerSize(minLayerSize)
          .withBuildToolIdentifier(buildTool).withXattrOptimization(optimizations.contains("xattr"))
          .withPrefetchPaths(prefetch).withForceRecreate(force).withProgress(Progress.forTerminal(err));
      if (allPlatforms) {
        b = b.withAllPlatforms();
      } else if (store.platform != null) {
        b = b.withPlatforms(List.of(Platform.parse(store.platform)));
      }
      return b;
    }
  }
}
