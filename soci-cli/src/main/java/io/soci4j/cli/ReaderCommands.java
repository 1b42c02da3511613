package io.soci4j.cli;

import io.soci4j.reader.ExtractOptions;
import io.soci4j.reader.ExtractReport;
import io.soci4j.reader.ImageEntry;
import io.soci4j.reader.RejectedEntry;
import io.soci4j.reader.SociImage;
import io.soci4j.reader.SociImageOptions;
import io.soci4j.reader.UnsafeEntryException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code soci ls|cat|stat|pull}: read an image through its SOCI index without pulling it. */
final class ReaderCommands {
  private ReaderCommands() {}

  /** Options of every reader command: the image, and fetch statistics. */
  static final class ImageArgs {
    @Mixin StoreOptions store;

    @Option(names = "--stats", description = "Print fetch statistics to stderr when done.")
    boolean stats;

    @Mixin CacheOptions cache;

    /** Runs a long body (pull, cat) with progress; {@code toStdout}: the body writes to stdout. */
    void runWithProgress(CommandSpec spec, ProgressOptions options, boolean toStdout, Body body) throws Exception {
      io.soci4j.ztoc.index.BuildProgress sink = options.sink(spec.commandLine().getErr(), toStdout);
      run(spec, img -> {
        ReaderProgress p = ReaderProgress.start(img, sink);
        boolean ok = false;
        try {
          body.run(img);
          ok = true;
        } finally {
          p.finish(ok);
        }
      });
    }

    @Parameters(index = "0", paramLabel = "REF", description = "Image: registry reference or oci:<dir>[:<ref>].")
    String ref;

    /** Opens the image, runs the body, prints stats. */
    interface Body {
      void run(SociImage image) throws Exception;
    }

    void run(CommandSpec spec, Body body) throws Exception {
      run(spec, b -> { }, body);
    }

    /** As {@link #run(CommandSpec, Body)}, with options of the command's own. */
    void run(CommandSpec spec, java.util.function.Consumer<SociImageOptions.Builder> more, Body body)
        throws Exception {
      io.soci4j.api.Platform platform = store.platform(); // checked before anything is opened
      SociImageOptions.Builder options = cache.apply(SociImageOptions.builder().platform(platform),
          spec.commandLine().getErr());
      more.accept(options);
      try (StoreOptions.Opened opened = store.open(ref);
          SociImage image = SociImage.open(opened.store(), opened.reference(), options.build())) {
        try {
          body.run(image);
        } finally {
          if (stats) {
            PrintWriter err = spec.commandLine().getErr();
            err.print(image.stats().format());
            opened.client().ifPresent(c -> err.print(c.transferStats().format()));
            err.flush();
          }
        }
      }
    }
  }

  @Command(name = "ls", description = "List a directory of the image (default /), like ls -l.")
  static final class Ls implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ImageArgs image;

    @Parameters(index = "1", arity = "0..1", paramLabel = "PATH", description = "Directory or file (default /).")
    String path = "/";

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      image.run(spec, img -> {
        ImageEntry e = img.stat(path, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        List<ImageEntry> entries = e.isDirectory() ? img.list(path) : List.of(e);
        for (ImageEntry x : entries) {
          out.printf(Locale.ROOT, "%s %8s %8s %12d %s %s%s%n", modeString(x), owner(x.uname(), x.uid()),
              owner(x.gname(), x.gid()), x.size(), DateTimeFormatter.ISO_INSTANT.format(x.modTime()),
              SociCli.escape(e.isDirectory() ? x.name() : x.path(), SociCli.MAX_NAME),
              x.isSymbolicLink() ? " -> " + SociCli.escape(x.linkTarget(), SociCli.MAX_NAME) : "");
        }
        out.flush();
      });
      return 0;
    }
  }

  @Command(name = "cat", description = "Write a file of the image to stdout (nothing else goes there).")
  static final class Cat implements Callable<Integer> {
    @Spec CommandSpec spec;

    @ParentCommand SociCli root;

    @Mixin ImageArgs image;

    @Mixin ProgressOptions progress;

    @Parameters(index = "1", paramLabel = "PATH", description = "The file, absolute in the image (with "
        + "--name-hex: the hex of its bytes, for names that are not UTF-8, as ls shows them: \\xNN).") String path;

    @Option(names = "--name-hex", description = "PATH is given as hex bytes (e.g. 2f62616dff for /bad\\xff).")
    boolean nameHex;

    @Override
    public Integer call() throws Exception {
      String file = nameHex ? HexNames.decode(path) : path;
      image.runWithProgress(spec, progress, true, img -> {
        OutputStream out = root.stdout;
        try (InputStream in = img.newInputStream(file)) {
          in.transferTo(out);
        }
        out.flush();
      });
      return 0;
    }
  }

  @Command(name = "stat", description = "Show a path's metadata: type, size, mode, owner, time, link target, layer.")
  static final class Stat implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ImageArgs image;

    @Parameters(index = "1", paramLabel = "PATH", description = "The path, absolute in the image (a symbolic link "
        + "is shown, not followed).") String path;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      image.run(spec, img -> {
        ImageEntry e = img.stat(path, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", e.path());
        m.put("type", e.type().wireName());
        m.put("size", e.size());
        m.put("mode", String.format(Locale.ROOT, "%04o", e.mode() & 07777));
        m.put("uid", e.uid());
        m.put("gid", e.gid());
        m.put("uname", e.uname());
        m.put("gname", e.gname());
        m.put("modTime", e.modTime().toString());
        if (e.isSymbolicLink()) { // lstat-like: the link itself, and where it leads if anywhere
          m.put("linkTarget", e.linkTarget());
          String resolved;
          try {
            resolved = img.realPath(path);
          } catch (java.io.IOException dangling) {
            resolved = null;
          }
          m.put("resolved", json || resolved != null ? resolved : "(dangling: " + e.linkTarget() + " does not exist)");
        }
        m.put("layer", e.layer().toString());
        if (json) {
          out.println(Json.write(m));
        } else {
          m.forEach((k, v) -> out.printf(Locale.ROOT, "%-11s %s%n", k + ":",
              v instanceof String t ? SociCli.escape(t, SociCli.MAX_NAME) : v));
        }
        out.flush();
      });
      return 0;
    }
  }

  @Command(name = "pull", description = "Materialise the image: extract all layers (whiteouts applied) into DIR, "
      + "or with --tar write each layer's uncompressed tar as DIR/layer-<n>.tar; spans decompressed in parallel. "
      + "DIR may be missing or an empty directory; a non-empty one is refused unless --force (as tar and "
      + "skopeo: nothing of it is deleted, files the image has are replaced).")
  static final class Pull implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ImageArgs image;

    @Mixin ProgressOptions progress;

    @Parameters(index = "1", paramLabel = "DIR", description = "Where the image (or its layer tars) goes.")
    Path dir;

    @Option(names = "--tar", description = "Write layer tars instead of extracting.")
    boolean tar;

    @Option(names = "--force", description = "Write into DIR even when it is not empty.")
    boolean force;

    /** Unsafe entries listed on stderr at most. */
    private static final int LISTED = 100;

    @Option(names = "--skip-unsafe", description = "Leave out the entries that cannot be extracted safely "
        + "(names leading out of the image, hard links to missing targets, names too long for this system...) "
        + "and list them on stderr. Without it such an image is refused before anything is written (exit 3), "
        + "listing them all.")
    boolean skipUnsafe;

    @Override
    public Integer call() throws Exception {
      if (Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        if (!Files.isDirectory(dir)) {
          throw new java.nio.file.FileAlreadyExistsException(dir + " (not a directory)");
        }
        try (var entries = Files.list(dir)) {
          if (!force && entries.findAny().isPresent()) {
            throw new java.nio.file.FileAlreadyExistsException(dir
                + " (not empty: choose an empty or new directory, or pass --force)");
          }
        }
      }
      image.runWithProgress(spec, progress, false, img -> {
        if (tar) {
          Files.createDirectories(dir);
          for (int i = 0; i < img.layers().size(); i++) {
            img.pullLayer(i, dir.resolve("layer-" + i + ".tar"));
          }
        } else {
          ExtractOptions options = ExtractOptions.builder().skipUnsafeEntries(skipUnsafe).build();
          ExtractReport report;
          try {
            report = Files.exists(dir) ? extractInto(img, dir, options) : img.extractTo(dir, options);
          } catch (UnsafeEntryException e) {
            listEntries(spec, e.entries(), "cannot be extracted safely, nothing was written (--skip-unsafe "
                + "extracts the rest; pull --tar writes the layers' tars as they are):");
            throw e;
          }
          listEntries(spec, report.skipped(), "left out (--skip-unsafe):");
        }
      });
      return 0;
    }

    /** Lists entries on stderr, one per line, escaped; the first {@value #LISTED} of them. */
    private static void listEntries(CommandSpec spec, List<RejectedEntry> entries, String what) {
      if (entries.isEmpty()) {
        return;
      }
      PrintWriter err = spec.commandLine().getErr();
      err.println("soci: " + entries.size() + (entries.size() == 1 ? " entry " : " entries ") + what);
      entries.stream().limit(LISTED).forEach(r -> err.println("  " + SociCli.oneLine(r.toString())));
      if (entries.size() > LISTED) {
        err.println("  ... and " + (entries.size() - LISTED) + " more");
      }
      err.flush();
    }

    /**
     * Extracts into an existing directory: into a new sibling first (so a failure leaves DIR as
     * it was), then each top-level entry moved in, replacing an entry of the same name.
     */
    private static ExtractReport extractInto(SociImage img, Path dir, ExtractOptions options)
        throws java.io.IOException {
      Path staged = dir.toAbsolutePath().resolveSibling("." + dir.getFileName() + ".soci-pull-"
          + ProcessHandle.current().pid());
      ExtractReport report = img.extractTo(staged, options);
      try (var entries = Files.list(staged)) {
        for (Path p : (Iterable<Path>) entries::iterator) {
          Path target = dir.resolve(p.getFileName().toString());
          if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            FileTrees.delete(target);
          }
          Files.move(p, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
      } finally {
        FileTrees.deleteQuietly(staged);
      }
      return report;
    }
  }

  static String modeString(ImageEntry e) {
    char type = e.isDirectory() ? 'd' : e.isSymbolicLink() ? 'l' : switch (e.type()) {
      case CHAR -> 'c';
      case BLOCK -> 'b';
      case FIFO -> 'p';
      default -> '-';
    };
    StringBuilder sb = new StringBuilder().append(type);
    String rwx = "rwxrwxrwx";
    for (int i = 0; i < 9; i++) {
      sb.append((e.mode() & (1 << (8 - i))) != 0 ? rwx.charAt(i) : '-');
    }
    return sb.toString();
  }

  private static String owner(String name, long id) {
    return name.isEmpty() ? Long.toString(id) : name;
  }
}
