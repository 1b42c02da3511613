package io.soci4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.soci4j.api.ByteSource;
import io.soci4j.api.Digest;
import io.soci4j.ztoc.Compression;
import io.soci4j.ztoc.LayerReader;
import io.soci4j.ztoc.Span;
import io.soci4j.ztoc.TocEntry;
import io.soci4j.ztoc.Ztoc;
import io.soci4j.ztoc.ZtocBuilder;
import io.soci4j.ztoc.ZtocCodec;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

/** {@code soci ztoc build|info|list|get-file}: zTOCs of local layer files. */
@Command(name = "ztoc", description = "Build and inspect zTOCs of layer files.",
    subcommands = {ZtocCommand.Build.class, ZtocCommand.Info.class, ZtocCommand.ListEntries.class,
        ZtocCommand.GetFile.class})
final class ZtocCommand implements java.util.concurrent.Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec commandSpec;

  @ParentCommand SociCli root;

  ZtocCommand() {}

  /** Without a subcommand: a usage error that lists them. */
  @Override
  public Integer call() {
    throw new picocli.CommandLine.ParameterException(commandSpec.commandLine(), "soci ztoc needs a command: "
        + String.join(", ", commandSpec.subcommands().keySet()) + "; see 'soci ztoc --help'");
  }

  /** Compression choices of {@code --compression}. */
  enum CompressionChoice {
    gzip(Compression.GZIP),
    uncompressed(Compression.UNCOMPRESSED),
    zstd(Compression.ZSTD),
    auto(null);

    final Compression value;

    CompressionChoice(Compression value) {
      this.value = value;
    }
  }

  @Command(name = "build", description = "Build the zTOC of a layer file (one streaming pass).")
  static final class Build implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--span-size", paramLabel = "BYTES", defaultValue = "4194304",
        description = "Uncompressed bytes between checkpoints (default: ${DEFAULT-VALUE}).")
    long spanSize;

    @Option(names = "--build-tool", paramLabel = "ID", defaultValue = ZtocBuilder.DEFAULT_BUILD_TOOL,
        description = "Build tool identifier stored in the zTOC (default: ${DEFAULT-VALUE}).")
    String buildTool;

    @Option(names = "--compression", defaultValue = "auto",
        description = "Layer compression: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    CompressionChoice compression;

    @Parameters(index = "0", paramLabel = "LAYER_FILE", description = "The layer blob (tar, tar+gzip or tar+zstd).")
    Path layer;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT_FILE", required = true,
        description = "Where to write the zTOC.")
    Path output;

    @Override
    public Integer call() throws IOException {
      ZtocBuilder builder = ZtocBuilder.create().withSpanSize(spanSize).withBuildToolIdentifier(buildTool)
          .withCompression(compression.value);
      Ztoc ztoc;
      try (InputStream in = new BufferedInputStream(Files.newInputStream(layer), 1 << 16)) {
        ztoc = builder.build(in);
      }
      java.nio.ByteBuffer bytes = ZtocCodec.serializeToBuffer(ztoc); // held once, even for 100k+ entries
      AtomicFiles.write(output, out -> java.nio.channels.Channels.newChannel(out).write(bytes.duplicate()));
      PrintWriter out = spec.commandLine().getOut();
      out.printf(Locale.ROOT, "%s %d%n", Digest.sha256(bytes), bytes.remaining());
      printSingleSpanNote(spec.commandLine().getErr(), ztoc, spanSize);
      return 0;
    }
  }

  /**
   * Says on stderr when a zstd layer got one span: it is a single zstd frame, so every read
   * decompresses it from its start.
   */
  static void printSingleSpanNote(PrintWriter err, Ztoc ztoc, long spanSize) {
    if (ztoc.compression() == Compression.ZSTD && ztoc.maxSpanId() == 0 && ztoc.uncompressedArchiveSize() > spanSize) {
      err.printf(Locale.ROOT, "soci: note: this zstd layer is a single frame, so its zTOC has one span: every read "
          + "decompresses the layer from its start (%d bytes), it is not lazy. Make it seekable with "
          + "'soci convert --zstd' (frames cut at the span size).%n", ztoc.uncompressedArchiveSize());
      err.flush();
    }
  }

  @Command(name = "info", description = "Sizes, spans, compression and entry count of a zTOC.")
  static final class Info implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ZtocSource source;

    @Parameters(index = "0", paramLabel = "ZTOC_FILE|LAYER_DIGEST",
        description = "A zTOC file, or with --image the digest of a layer of the image.")
    String target;

    @Option(names = "--json", description = "JSON, with every checkpoint's in/out/bits.")
    boolean json;

    @Override
    public Integer call() throws IOException {
      byte[] bytes;
      try (ZtocSource.Opened opened = source.open(target, null)) {
        bytes = opened.ztoc();
      }
      Ztoc z = ZtocCodec.parse(bytes);
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("digest", Digest.sha256(bytes).toString());
        m.put("size", bytes.length);
        m.put("version", z.version());
        m.put("build_tool_identifier", z.buildToolIdentifier());
        m.put("compression", z.compression().label());
        m.put("compressed_archive_size", z.compressedArchiveSize());
        m.put("uncompressed_archive_size", z.uncompressedArchiveSize());
        m.put("max_span_id", z.maxSpanId());
        m.put("entries", z.toc().size());
        List<Map<String, Object>> spans = new ArrayList<>();
        for (Span s : z.spans()) {
          Map<String, Object> sm = new LinkedHashMap<>();
          sm.put("id", s.id());
          sm.put("in", s.compressedStart() + (s.bits() != 0 ? 1 : 0));
          sm.put("out", s.uncompressedStart());
          sm.put("bits", s.bits());
          sm.put("compressed_start", s.compressedStart());
          sm.put("compressed_end", s.compressedEnd());
          sm.put("uncompressed_end", s.uncompressedEnd());
          sm.put("digest", s.digest().toString());
          spans.add(sm);
        }
        m.put("checkpoints", spans);
        out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m));
      } else {
        out.printf(Locale.ROOT, "digest:              %s%n", Digest.sha256(bytes));
        out.printf(Locale.ROOT, "size:                %d%n", bytes.length);
        out.printf(Locale.ROOT, "version:             %s%n", z.version());
        out.printf(Locale.ROOT, "build tool:          %s%n", z.buildToolIdentifier());
        out.printf(Locale.ROOT, "compression:         %s%n", z.compression().label());
        out.printf(Locale.ROOT, "compressed size:     %d%n", z.compressedArchiveSize());
        out.printf(Locale.ROOT, "uncompressed size:   %d%n", z.uncompressedArchiveSize());
        out.printf(Locale.ROOT, "spans:               %d%n", z.maxSpanId() + 1);
        out.printf(Locale.ROOT, "entries:             %d%n", z.toc().size());
      }
      return 0;
    }
  }

  @Command(name = "list", description = "The zTOC's entries, one a line: type, mode, size, offset, name.")
  static final class ListEntries implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ZtocSource source;

    @Parameters(index = "0", paramLabel = "ZTOC_FILE|LAYER_DIGEST",
        description = "A zTOC file, or with --image the digest of a layer of the image.")
    String target;

    @Override
    public Integer call() throws IOException {
      PrintWriter out = spec.commandLine().getOut();
      Ztoc ztoc;
      try (ZtocSource.Opened opened = source.open(target, null)) {
        ztoc = ZtocCodec.parse(opened.ztoc());
      }
      for (TocEntry e : ztoc.toc()) {
        String link = e.linkName().isEmpty() ? "" : " -> " + SociCli.escape(e.linkName(), SociCli.MAX_NAME);
        out.printf(Locale.ROOT, "%-8s %06o %12d %12d %s%s%n", e.type().wireName(), e.mode(), e.uncompressedSize(),
            e.uncompressedOffset(), SociCli.escape(e.name(), SociCli.MAX_NAME), link);
      }
      return 0;
    }
  }

  @Command(name = "get-file", description = "Extract one file of a layer through its zTOC: "
      + "LAYER_FILE ZTOC_FILE PATH, or with --image LAYER_DIGEST PATH (range reads from the store).")
  static final class GetFile implements Callable<Integer> {
    @ParentCommand ZtocCommand parent;

    @Mixin ZtocSource source;

    @Parameters(arity = "2..3", paramLabel = "ARGS",
        description = "LAYER_FILE ZTOC_FILE PATH, or LAYER_DIGEST PATH with --image; PATH as stored in the TOC.")
    List<String> args;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT_FILE", description = "Write here instead of stdout.")
    Path output;

    @Option(names = "--name-hex", description = "PATH is given as hex bytes, for names that are not UTF-8 "
        + "(ztoc list shows their bytes as \\xNN).")
    boolean nameHex;

    @Override
    public Integer call() throws IOException {
      int want = source.fromImage() ? 2 : 3;
      if (args.size() != want) {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "get-file takes "
            + (want == 3 ? "LAYER_FILE ZTOC_FILE PATH" : "LAYER_DIGEST PATH with --image") + ", got " + args.size()
            + " arguments");
      }
      String first = source.fromImage() ? args.get(0) : args.get(1);
      Path layerFile = source.fromImage() ? null : Path.of(args.get(0));
      String path = nameHex ? HexNames.decode(args.get(want - 1)) : args.get(want - 1);
      try (ZtocSource.Opened opened = source.open(first, layerFile); ByteSource blob = opened.layer()) {
        LayerReader reader = LayerReader.of(ZtocCodec.parse(opened.ztoc()), blob);
        try (InputStream in = reader.openFile(path)) {
          if (output != null) {
            AtomicFiles.write(output, in::transferTo);
          } else {
            OutputStream out = parent.root.stdout;
            in.transferTo(out);
            out.flush();
          }
        }
      }
      return 0;
    }
  }
}
