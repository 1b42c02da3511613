package io.soci4j.cli;

import io.soci4j.api.ByteSource;
import io.soci4j.api.ContentNotFoundException;
import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.api.ImageStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A store that reads from an output store, then a source store, and writes only to the output:
 * what out-of-place conversion runs on, so the source is never written.
 */
final class LayeredStore implements ImageStore {
  private final ImageStore source;
  private final ImageStore output;

  LayeredStore(ImageStore source, ImageStore output) {
    this.source = source;
    this.output = output;
  }

  private ImageStore holder(Descriptor d) throws IOException {
    return output.exists(d) ? output : source;
  }

  @Override
  public Descriptor resolve(String reference) throws IOException {
    try {
      return output.resolve(reference);
    } catch (ContentNotFoundException e) {
      return source.resolve(reference);
    }
  }

  @Override
  public byte[] fetch(Descriptor descriptor) throws IOException {
    return holder(descriptor).fetch(descriptor);
  }

  @Override
  public InputStream open(Descriptor descriptor) throws IOException {
    return holder(descriptor).open(descriptor);
  }

  @Override
  public ByteSource openRange(Descriptor descriptor) throws IOException {
    return holder(descriptor).openRange(descriptor);
  }

  @Override
  public boolean exists(Descriptor descriptor) throws IOException {
    return output.exists(descriptor) || source.exists(descriptor);
  }

  @Override
  public void push(Descriptor descriptor, byte[] content) throws IOException {
    output.push(descriptor, content);
  }

  @Override
  public void push(Descriptor descriptor, InputStream content) throws IOException {
    output.push(descriptor, content);
  }

  @Override
  public void tag(Descriptor manifest, String tag) throws IOException {
    output.tag(manifest, tag);
  }

  @Override
  public List<Descriptor> referrers(Digest subject, String artifactType) throws IOException {
    List<Descriptor> all = new ArrayList<>(source.referrers(subject, artifactType));
    for (Descriptor d : output.referrers(subject, artifactType)) {
      if (!all.contains(d)) {
        all.add(d);
      }
    }
    return all;
  }

  /** Both stores' tags, so zTOCs of SOCI-enabled images tagged in the source are found for reuse. */
  @Override
  public List<String> tags(int limit) throws IOException {
    java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>(output.tags(limit));
    all.addAll(source.tags(limit));
    return all.stream().limit(limit).toList();
  }

  @Override
  public void close() throws IOException {
    output.close();
    source.close();
  }
}
