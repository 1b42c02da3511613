package io.soci4j.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.soci4j.api.Digest;
import io.soci4j.api.ZtocFormatException;
import io.soci4j.ztoc.Compression;
import io.soci4j.ztoc.EntryType;
import io.soci4j.ztoc.PaxRecord;
import io.soci4j.ztoc.TocEntry;
import io.soci4j.ztoc.Ztoc;
import io.soci4j.ztoc.ZtocCodec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * zTOC serialization and parsing ({@link ZtocCodec}) for a large TOC: a {@link SyntheticZtoc} of
 * 50 000 entries and 12 spans (about 0.4 MB of checkpoints), time per operation. The serialized
 * sizes are printed at setup and by {@link BenchMain} under its table.
 *
 * <p><b>The baseline</b> is the same zTOC written and read with Jackson databind as JSON, from
 * and to the same {@link Ztoc} object: every field of every entry, PAX values and the checkpoint
 * blob as base64, span digests as text. It answers the question a reviewer asks of a hand-written
 * flatbuffers codec: is it at least as fast as the serializer a Java developer would reach for,
 * on the same data, at the same API boundary? {@code serialize} is paired with {@code
 * baselineJacksonSerialize} and {@code parse} with {@code baselineJacksonParse} (BenchMain pairs a
 * method with the baselines whose names end with its own). The comparison favours Jackson in one
 * way: {@link ZtocCodec#parse} validates everything (offsets, tar order, digests, the checkpoint
 * blob against the sizes), the JSON path only what the {@code Ztoc}, {@code TocEntry} and {@code
 * Digest} constructors check. A {@code System.arraycopy} of the serialized bytes was rejected as
 * the baseline: it is a bound no serializer of this structure approaches (the ratio would only
 * restate memory bandwidth).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx1g"})
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
public class ZtocCodecBenchmark {
  /** Spans of the synthetic zTOC. */
  public static final int SPANS = 12;
  /** Seed of the synthetic zTOC. */
  public static final long SEED = 42;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** TOC entries. */
  @Param({"50000"})
  public int entries;

  private Ztoc ztoc;
  private byte[] serialized;
  private byte[] json;

  /** Builds the zTOC and both encodings of it, and prints their sizes. */
  @Setup
  public void setUp() throws IOException {
    ztoc = SyntheticZtoc.create(entries, SPANS, SEED);
    serialized = ZtocCodec.serialize(ztoc);
    json = JSON.writeValueAsBytes(ZtocJson.of(ztoc));
    if (!ZtocCodec.parse(serialized).equals(ztoc) || !ZtocJson.toZtoc(JSON.readValue(json, ZtocJson.class))
        .equals(ztoc)) {
      throw new IllegalStateException("a codec does not round-trip the synthetic zTOC");
    }
    System.out.println(describe(ztoc, serialized.length, json.length));
  }

  /**
   * The sizes line BenchMain prints under its table; builds the zTOC and both encodings.
   *
   * @param entries TOC entries
   * @return one line
   * @throws IOException never
   */
  public static String describe(int entries) throws IOException {
    Ztoc z = SyntheticZtoc.create(entries, SPANS, SEED);
    return describe(z, ZtocCodec.serialize(z).length, JSON.writeValueAsBytes(ZtocJson.of(z)).length);
  }

  private static String describe(Ztoc z, int flat, int json) {
    return String.format(Locale.ROOT, "ZtocCodecBenchmark: zTOC of %d entries (%d with PAX records), %d spans:"
            + " flatbuffers %d bytes (%.2f MiB, %.0f bytes/entry with the checkpoints), Jackson JSON %d bytes (%.2fx)",
        z.toc().size(), z.toc().stream().filter(e -> !e.paxRecords().isEmpty()).count(), z.spanDigests().size(),
        flat, flat / 1048576.0, (double) flat / z.toc().size(), json, (double) json / flat);
  }

  /** soci4j: write the zTOC in upstream's flatbuffers format. */
  @Benchmark
  public byte[] serialize() {
    return ZtocCodec.serialize(ztoc);
  }

  /**
   * soci4j: read and validate the flatbuffers bytes.
   *
   * @throws ZtocFormatException never
   */
  @Benchmark
  public Ztoc parse() throws ZtocFormatException {
    return ZtocCodec.parse(serialized);
  }

  /**
   * Baseline for {@link #serialize}: the same zTOC to JSON with Jackson.
   *
   * @throws IOException never
   */
  @Benchmark
  public byte[] baselineJacksonSerialize() throws IOException {
    return JSON.writeValueAsBytes(ZtocJson.of(ztoc));
  }

  /**
   * Baseline for {@link #parse}: the JSON back to a {@link Ztoc} with Jackson.
   *
   * @throws IOException never
   */
  @Benchmark
  public Ztoc baselineJacksonParse() throws IOException {
    return ZtocJson.toZtoc(JSON.readValue(json, ZtocJson.class));
  }

  /**
   * The JSON shape of a zTOC for the baseline.
   *
   * @param version format version
   * @param buildTool build tool identifier
   * @param compressedSize layer blob size
   * @param uncompressedSize tar size
   * @param compression compression label
   * @param spanDigests span digests as text
   * @param checkpoints checkpoint blob (base64 in JSON)
   * @param toc entries
   */
  public record ZtocJson(String version, String buildTool, long compressedSize, long uncompressedSize,
      String compression, List<String> spanDigests, byte[] checkpoints, List<EntryJson> toc) {

    static ZtocJson of(Ztoc z) {
      List<EntryJson> entries = new ArrayList<>(z.toc().size());
      for (TocEntry e : z.toc()) {
        entries.add(EntryJson.of(e));
      }
      List<String> digests = new ArrayList<>(z.spanDigests().size());
      for (Digest d : z.spanDigests()) {
        digests.add(d.toString());
      }
      return new ZtocJson(z.version(), z.buildToolIdentifier(), z.compressedArchiveSize(),
          z.uncompressedArchiveSize(), z.compression().label(), digests, z.checkpoints(), entries);
    }

    static Ztoc toZtoc(ZtocJson j) {
      List<TocEntry> entries = new ArrayList<>(j.toc().size());
      for (EntryJson e : j.toc()) {
        entries.add(e.toEntry());
      }
      List<Digest> digests = new ArrayList<>(j.spanDigests().size());
      for (String d : j.spanDigests()) {
        digests.add(Digest.parse(d));
      }
      Compression c = j.compression().equals(Compression.GZIP.label()) ? Compression.GZIP : Compression.UNCOMPRESSED;
      return new Ztoc(j.version(), j.buildTool(), j.compressedSize(), j.uncompressedSize(), entries, c, digests,
          j.checkpoints());
    }
  }

  /**
   * The JSON shape of a TOC entry for the baseline.
   *
   * @param name name
   * @param type wire type name
   * @param offset data offset
   * @param size data size
   * @param linkName link target
   * @param mode raw mode
   * @param uid owner id
   * @param gid group id
   * @param uname owner name
   * @param gname group name
   * @param modTime modification time text
   * @param devMajor device major
   * @param devMinor device minor
   * @param pax PAX records by key (values base64)
   */
  public record EntryJson(String name, String type, long offset, long size, String linkName, long mode, long uid,
      long gid, String uname, String gname, String modTime, long devMajor, long devMinor, Map<String, byte[]> pax) {

    static EntryJson of(TocEntry e) {
      Map<String, byte[]> pax = new TreeMap<>();
      for (PaxRecord r : e.paxRecords()) {
        pax.put(r.key(), r.value());
      }
      return new EntryJson(e.name(), e.type().wireName(), e.uncompressedOffset(), e.uncompressedSize(),
          e.linkName(), e.mode(), e.uid(), e.gid(), e.uname(), e.gname(), e.modTime(), e.devMajor(), e.devMinor(),
          pax);
    }

    TocEntry toEntry() {
      List<PaxRecord> records = new ArrayList<>(pax.size());
      pax.forEach((k, v) -> records.add(new PaxRecord(k, v)));
      return new TocEntry(name, EntryType.fromWireName(type), offset, size, linkName, mode, uid, gid, uname, gname,
          modTime, devMajor, devMinor, records);
    }
  }
}
