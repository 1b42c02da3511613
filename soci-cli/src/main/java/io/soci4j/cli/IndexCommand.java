package io.soci4j.cli;

import io.soci4j.api.Descriptor;
import io.soci4j.api.MediaTypes;
import io.soci4j.ztoc.index.FoundIndex;
import io.soci4j.ztoc.index.IndexVersion;
import io.soci4j.ztoc.index.SociIndex;
import io.soci4j.ztoc.index.SociIndexFinder;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code soci index list|info}: the SOCI indexes of an image. */
@Command(name = "index", description = "Inspect the SOCI indexes of an image.",
    subcommands = {IndexCommand.ListIndexes.class, IndexCommand.Info.class})
final class IndexCommand implements java.util.concurrent.Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec commandSpec;

  IndexCommand() {}

  /** Without a subcommand: a usage error that lists them. */
  @Override
  public Integer call() {
    throw new picocli.CommandLine.ParameterException(commandSpec.commandLine(), "soci index needs a command: "
        + String.join(", ", commandSpec.subcommands().keySet()) + "; see 'soci index --help'");
  }

  @Command(name = "list", description = "The SOCI indexes of the image's platform manifest, one a line: digest, "
      + "version (v2 from a SOCI-enabled image, v1 from the referrers), zTOC count; the one discovery picks is "
      + "marked with *.")
  static final class ListIndexes implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin StoreOptions store;

    @Option(names = "--json", description = "Print a JSON array of {digest, size, version, ztocs, chosen}.")
    boolean json;

    @Parameters(index = "0", paramLabel = "REF", description = "Image: registry reference or oci:<dir>[:<ref>].")
    String ref;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      try (StoreOptions.Opened image = store.open(ref)) {
        Optional<FoundIndex> found = SociIndexFinder.forPlatform(store.platform()).find(image.store(), image.reference());
        List<Descriptor> all = new ArrayList<>();
        if (found.isPresent()) {
          all.addAll(image.store().referrers(found.get().manifest().digest(), MediaTypes.SOCI_INDEX_V1));
          if (all.stream().noneMatch(d -> d.digest().equals(found.get().indexDescriptor().digest()))) {
            all.add(0, found.get().indexDescriptor());
          }
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Descriptor d : all) {
          SociIndex index = SociIndex.parse(image.store().fetch(d));
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("digest", d.digest().toString());
          row.put("size", d.size());
          row.put("version", index.version() == IndexVersion.V2 ? "v2" : "v1");
          row.put("ztocs", index.ztocs().size());
          row.put("chosen", d.digest().equals(found.get().indexDescriptor().digest()));
          rows.add(row);
        }
        if (json) {
          out.println(Json.write(rows));
          return 0;
        }
        for (Map<String, Object> r : rows) {
          out.printf(Locale.ROOT, "%s %s %s %d zTOCs%n", (boolean) r.get("chosen") ? "*" : " ", r.get("digest"),
              r.get("version"), (int) r.get("ztocs"));
        }
      }
      return 0;
    }
  }

  @Command(name = "info", description = "The SOCI index discovery picks for the image: its digest, version, "
      + "build tool, and per zTOC the layer, media type and span size; --json prints the index manifest itself.")
  static final class Info implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin StoreOptions store;

    @Option(names = "--json", description = "Print the SOCI index manifest JSON (as stored) instead.")
    boolean json;

    @Parameters(index = "0", paramLabel = "REF", description = "Image: registry reference or oci:<dir>[:<ref>].")
    String ref;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      try (StoreOptions.Opened image = store.open(ref)) {
        FoundIndex found = store.requireIndex(image, ref);
        if (json) {
          out.println(new String(found.index().toJson(), StandardCharsets.UTF_8));
          return 0;
        }
        SociIndex index = found.index();
        out.printf(Locale.ROOT, "index:      %s (%s)%n", found.indexDescriptor().digest(),
            index.version() == IndexVersion.V2 ? "v2" : "v1");
        out.printf(Locale.ROOT, "manifest:   %s%n", found.manifest().digest());
        out.printf(Locale.ROOT, "build tool: %s%n", index.annotations().getOrDefault(MediaTypes.ANNOTATION_BUILD_TOOL,
            ""));
        for (Descriptor z : index.layers()) {
          Map<String, String> a = z.annotations();
          out.printf(Locale.ROOT, "%s %s layer %s %s%s%n", z.mediaType().equals(MediaTypes.SOCI_PREFETCH)
                  ? "prefetch" : "ztoc    ", z.digest(), a.getOrDefault(MediaTypes.ANNOTATION_LAYER_DIGEST, "?"),
              a.getOrDefault(MediaTypes.ANNOTATION_LAYER_MEDIA_TYPE, ""),
              a.containsKey(MediaTypes.ANNOTATION_SPAN_SIZE) ? " span " + a.get(MediaTypes.ANNOTATION_SPAN_SIZE) : "");
        }
      }
      return 0;
    }
  }
}
