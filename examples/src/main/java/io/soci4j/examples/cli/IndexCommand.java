package io.soci4j.examples.cli;

import io.soci4j.api.Descriptor;
import io.soci4j.api.MediaTypes;
import io.soci4j.ztoc.index.FoundIndex;
import io.soci4j.ztoc.index.SociIndexFinder;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
final class IndexCommand {
  IndexCommand() {}

  @Command(name = "list", description = "SOCI indexes referring to the image's platform manifest: digest, version, "
      + "zTOC count; the one discovery picks is marked with *.")
  static final class ListIndexes implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin StoreOptions store;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Parameters(index = "0", paramLabel = "REF") String ref;

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
        if (json) {
          out.println(Json.write(all.stream().map(Json::descriptor).toList()));
          return 0;
        }
        for (Descriptor d : all) {
          boolean chosen = d.digest().equals(found.get().indexDescriptor().digest());
          out.printf(Locale.ROOT, "%s %s %8d %s%n", chosen ? "*" : " ", d.digest(), d.size(),
              d.artifactType().isEmpty() ? "" : d.artifactType());
        }
      }
      return 0;
    }
  }

  @Command(name = "info", description = "The SOCI index discovery finds for the image (its manifest JSON).")
  static final class Info implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin StoreOptions store;

    @Parameters(index = "0", paramLabel = "REF") String ref;

    @Override
    public Integer call() throws Exception {
      try (StoreOptions.Opened image = store.open(ref)) {
        FoundIndex found = SociIndexFinder.forPlatform(store.platform()).find(image.store(), image.reference())
            .orElseThrow(() -> new io.soci4j.api.ContentNotFoundException("SOCI index for " + ref));
        spec.commandLine().getOut().println(new String(found.index().toJson(), StandardCharsets.UTF_8));
      }
      return 0;
    }
  }
}
