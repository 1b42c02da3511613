package io.soci4j.reader.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.soci4j.api.ByteSource;
import io.soci4j.api.ContentNotFoundException;
import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.api.DigestMismatchException;
import io.soci4j.api.ImageStore;
import io.soci4j.api.MediaTypes;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A thread-safe in-memory {@link ImageStore} for tests that counts what it serves: requests and
 * bytes per blob, every range read (blob, offset, length), and lets a test inject faults into
 * range reads ({@link Fault}).
 */
public final class TestStore implements ImageStore {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A range read served: blob, first byte, length. @param blob blob @param offset offset @param length length */
  public record Range(Digest blob, long offset, int length) {
    /** {@return end (exclusive)} */
    public long end() {
      return offset + length;
    }
  }

  /** Changes or fails a range read; called for every read. */
  @FunctionalInterface
  public interface Fault {
    /**
     * @param range what is read
     * @param data the true bytes (may be modified in place)
     * @throws IOException to fail the read
     */
    void apply(Range range, byte[] data) throws IOException;
  }

  private final Map<Digest, byte[]> content = new ConcurrentHashMap<>();
  private final Map<Digest, String> manifestTypes = new ConcurrentHashMap<>();
  private final Map<String, Digest> tags = new ConcurrentHashMap<>();
  private final List<Range> ranges = new CopyOnWriteArrayList<>();
  private final Map<Digest, AtomicLong> wholeFetches = new ConcurrentHashMap<>();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private volatile Fault fault = (r, d) -> { };

  /** @param f the fault to apply to range reads from now on */
  public void fault(Fault f) {
    fault = f;
  }

  /** Forgets the counters and recorded ranges. */
  public void resetCounters() {
    ranges.clear();
    wholeFetches.clear();
    requests.set(0);
    bytes.set(0);
  }

  /** {@return every range read served, in order} */
  public List<Range> ranges() {
    return new ArrayList<>(ranges);
  }

  /** @param blob a blob @return range reads of it */
  public List<Range> ranges(Digest blob) {
    return ranges.stream().filter(r -> r.blob().equals(blob)).toList();
  }

  /** @param blob a blob @return whole fetches (fetch and open) of it */
  public long wholeFetches(Digest blob) {
    AtomicLong n = wholeFetches.get(blob);
    return n == null ? 0 : n.get();
  }

  /** {@return all requests served (resolve, fetch, open, range reads, referrers)} */
  public long requests() {
    return requests.get();
  }

  /** {@return all bytes served} */
  public long bytes() {
    return bytes.get();
  }

  /** @param d a blob @return its bytes */
  public byte[] blob(Digest d) {
    return content.get(d);
  }

  @Override
  public Descriptor resolve(String reference) throws IOException {
    requests.incrementAndGet();
    Digest d = reference.startsWith("sha256:") ? Digest.parse(reference) : tags.get(reference);
    if (d == null || !content.containsKey(d)) {
      throw new ContentNotFoundException("manifest '" + reference + "' in the test store");
    }
    String type = manifestTypes.getOrDefault(d, MediaTypes.OCI_MANIFEST);
    return Descriptor.of(type, d, content.get(d).length);
  }

  @Override
  public byte[] fetch(Descriptor descriptor) throws IOException {
    requests.incrementAndGet();
    byte[] b = get(descriptor);
    wholeFetches.computeIfAbsent(descriptor.digest(), k -> new AtomicLong()).incrementAndGet();
    bytes.addAndGet(b.length);
    return b.clone();
  }

  /**
   * Streams a blob. Unlike a real store it does not verify the digest at the end, so the reader's
   * own check is what a test sees; the fault applies to the whole blob as one range.
   */
  @Override
  public InputStream open(Descriptor descriptor) throws IOException {
    requests.incrementAndGet();
    byte[] b = get(descriptor).clone();
    fault.apply(new Range(descriptor.digest(), 0, b.length), b);
    wholeFetches.computeIfAbsent(descriptor.digest(), k -> new AtomicLong()).incrementAndGet();
    bytes.addAndGet(b.length);
    return new ByteArrayInputStream(b);
  }

  @Override
  public ByteSource openRange(Descriptor descriptor) throws IOException {
    byte[] b = get(descriptor);
    Digest blob = descriptor.digest();
    return new ByteSource() {
      @Override
      public long size() {
        return b.length;
      }

      @Override
      public void read(long offset, ByteBuffer dst) throws IOException {
        int len = dst.remaining();
        if (offset < 0 || offset + len > b.length) {
          throw new EOFException("range [" + offset + ", " + (offset + len) + ") outside blob " + blob);
        }
        requests.incrementAndGet();
        Range r = new Range(blob, offset, len);
        byte[] data = java.util.Arrays.copyOfRange(b, (int) offset, (int) offset + len);
        fault.apply(r, data);
        ranges.add(r);
        bytes.addAndGet(len);
        dst.put(data);
      }
    };
  }

  @Override
  public boolean exists(Descriptor descriptor) {
    return content.containsKey(descriptor.digest());
  }

  @Override
  public void push(Descriptor descriptor, byte[] bytes) throws IOException {
    Digest actual = Digest.sha256(bytes);
    if (!actual.equals(descriptor.digest()) || bytes.length != descriptor.size()) {
      throw new DigestMismatchException("pushed content", descriptor.digest(), actual);
    }
    content.putIfAbsent(descriptor.digest(), bytes.clone());
    if (descriptor.isManifest()) {
      manifestTypes.put(descriptor.digest(), descriptor.mediaType());
    }
  }

  @Override
  public void push(Descriptor descriptor, InputStream in) throws IOException {
    push(descriptor, in.readAllBytes());
  }

  @Override
  public void tag(Descriptor manifest, String tag) throws IOException {
    if (!content.containsKey(manifest.digest())) {
      throw new ContentNotFoundException("manifest " + manifest.digest());
    }
    tags.put(tag, manifest.digest());
  }

  @Override
  public List<Descriptor> referrers(Digest subject, String artifactType) throws IOException {
    requests.incrementAndGet();
    List<Descriptor> out = new ArrayList<>();
    for (Map.Entry<Digest, String> m : manifestTypes.entrySet()) {
      JsonNode root = JSON.readTree(content.get(m.getKey()));
      if (!subject.toString().equals(root.path("subject").path("digest").asText())) {
        continue;
      }
      String type = root.path("artifactType").asText(root.path("config").path("mediaType").asText(""));
      if (!artifactType.isEmpty() && !artifactType.equals(type)) {
        continue;
      }
      Map<String, String> annotations = new java.util.TreeMap<>();
      root.path("annotations").properties().forEach(e -> annotations.put(e.getKey(), e.getValue().asText()));
      out.add(Descriptor.of(m.getValue(), m.getKey(), content.get(m.getKey()).length).withArtifactType(type)
          .withAnnotations(annotations));
    }
    return out;
  }

  private byte[] get(Descriptor d) throws ContentNotFoundException {
    byte[] b = content.get(d.digest());
    if (b == null) {
      throw new ContentNotFoundException("blob " + d.digest() + " in the test store");
    }
    return b;
  }

  @Override
  public void close() {}
}
