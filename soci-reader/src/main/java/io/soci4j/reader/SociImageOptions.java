package io.soci4j.reader;

import io.soci4j.api.Platform;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link SociImage} fetches and caches: platform, span caches, prefetch, background fetch,
 * parallelism, retries. Immutable; build with {@link #builder()}.
 *
 * <pre>{@code
 * SociImageOptions options = SociImageOptions.builder()
 *     .diskCache(Path.of("/var/cache/soci"), 10L << 30)
 *     .backgroundFetch(true)
 *     .build();
 * }</pre>
 */
public final class SociImageOptions {
  private final Platform platform;
  private final SpanCache spanCache;
  private final long spanCacheBytes;
  private final Path diskCacheDirectory;
  private final long diskCacheBytes;
  private final long decompressedCacheBytes;
  private final boolean prefetch;
  private final boolean backgroundFetch;
  private final boolean prefetchInBackground;
  private final boolean hedgedRequests;
  private final boolean lazyCheckpoints;
  private final Path metadataCacheDirectory;
  private final int fetchThreads;
  private final int pullThreads;
  private final long maxRequestBytes;
  private final int retries;
  private final Duration retryBackoff;
  private final long wholeLayerMemoryBytes;
  private final Path tempDirectory;

  private SociImageOptions(Builder b) {
    this.platform = b.platform;
    this.spanCache = b.spanCache;
    this.spanCacheBytes = b.spanCacheBytes;
    this.diskCacheDirectory = b.diskCacheDirectory;
    this.diskCacheBytes = b.diskCacheBytes;
    this.decompressedCacheBytes = b.decompressedCacheBytes;
    this.prefetch = b.prefetch;
    this.backgroundFetch = b.backgroundFetch;
    this.prefetchInBackground = b.prefetchInBackground;
    this.hedgedRequests = b.hedgedRequests;
    this.lazyCheckpoints = b.lazyCheckpoints;
    this.metadataCacheDirectory = b.metadataCacheDirectory;
    this.fetchThreads = b.fetchThreads;
    this.pullThreads = b.pullThreads;
    this.maxRequestBytes = b.maxRequestBytes;
    this.retries = b.retries;
    this.retryBackoff = b.retryBackoff;
    this.wholeLayerMemoryBytes = b.wholeLayerMemoryBytes;
    this.tempDirectory = b.tempDirectory;
  }

  /** {@return the defaults: JVM platform, 128 MiB span cache, prefetch on, no background fetch} */
  public static SociImageOptions defaults() {
    return builder().build();
  }

  /** {@return a builder with the defaults} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the platform picked in a multi-platform image} */
  public Platform platform() {
    return platform;
  }

  /** {@return the span cache given to the builder; empty when the image builds its own} */
  public Optional<SpanCache> spanCache() {
    return Optional.ofNullable(spanCache);
  }

  /** {@return bytes of the in-memory span cache the image builds when none is given} */
  public long spanCacheBytes() {
    return spanCacheBytes;
  }

  /** {@return the disk cache directory, if any} */
  public Optional<Path> diskCacheDirectory() {
    return Optional.ofNullable(diskCacheDirectory);
  }

  /** {@return the disk cache size cap} */
  public long diskCacheBytes() {
    return diskCacheBytes;
  }

  /** {@return bytes of decompressed spans kept in memory for repeated reads} */
  public long decompressedCacheBytes() {
    return decompressedCacheBytes;
  }

  /** {@return whether the spans of the index's prefetch artifacts are fetched at open} */
  public boolean prefetch() {
    return prefetch;
  }

  /** {@return whether the prefetch artifacts' spans are fetched in the background, open not waiting for them} */
  public boolean prefetchInBackground() {
    return prefetchInBackground;
  }

  /** {@return whether all remaining spans are fetched in the background after open} */
  public boolean backgroundFetch() {
    return backgroundFetch;
  }

  /** {@return whether a span request far slower than the others is sent again (first answer wins)} */
  public boolean hedgedRequests() {
    return hedgedRequests;
  }

  /** {@return whether zTOCs are read by range, each span's checkpoint when the span is first read} */
  public boolean lazyCheckpoints() {
    return lazyCheckpoints;
  }

  /** {@return the directory of the persistent metadata cache, if one is used} */
  public Optional<Path> metadataCacheDirectory() {
    return Optional.ofNullable(metadataCacheDirectory);
  }

  /** {@return range requests run in parallel at most} */
  public int fetchThreads() {
    return fetchThreads;
  }

  /** {@return threads decompressing spans while pulling a whole layer} */
  public int pullThreads() {
    return pullThreads;
  }

  /** {@return compressed bytes one range request asks for at most} */
  public long maxRequestBytes() {
    return maxRequestBytes;
  }

  /** {@return attempts after the first for a transiently failing request} */
  public int retries() {
    return retries;
  }

  /** {@return the wait before the first retry, doubling after} */
  public Duration retryBackoff() {
    return retryBackoff;
  }

  /** {@return decompressed bytes of a layer without zTOC kept in memory; more go to a temporary file} */
  public long wholeLayerMemoryBytes() {
    return wholeLayerMemoryBytes;
  }

  /** {@return where temporary files go} */
  public Path tempDirectory() {
    return tempDirectory;
  }

  /** Builds {@link SociImageOptions}; every setter checks its argument at once. */
  public static final class Builder {
    private Platform platform = Platform.current();
    private SpanCache spanCache;
    private long spanCacheBytes = 128L << 20;
    private Path diskCacheDirectory;
    private long diskCacheBytes = 1L << 30;
    private long decompressedCacheBytes = 32L << 20;
    private boolean prefetch = true;
    private boolean backgroundFetch;
    private boolean prefetchInBackground;
    private boolean hedgedRequests = true;
    private boolean lazyCheckpoints = true;
    private Path metadataCacheDirectory;
    private int fetchThreads = 8;
    private int pullThreads = Math.max(1, Runtime.getRuntime().availableProcessors());
    private long maxRequestBytes = 32L << 20;
    private int retries = 3;
    private Duration retryBackoff = Duration.ofMillis(100);
    private long wholeLayerMemoryBytes = 64L << 20;
    private Path tempDirectory = Path.of(System.getProperty("java.io.tmpdir"));

    private Builder() {}

    /**
     * @param p the platform to pick in a multi-platform image (default: the JVM's)
     * @return this
     */
    public Builder platform(Platform p) {
      platform = Objects.requireNonNull(p, "platform");
      return this;
    }

    /**
     * Uses a span cache built by the caller (which may share it between images and closes it);
     * {@link #spanCacheBytes} and {@link #diskCache} are then ignored.
     *
     * @param cache the cache
     * @return this
     */
    public Builder spanCache(SpanCache cache) {
      spanCache = Objects.requireNonNull(cache, "cache");
      return this;
    }

    /**
     * @param bytes size of the in-memory span cache of compressed spans (default 128 MiB; 0 for none)
     * @return this
     */
    public Builder spanCacheBytes(long bytes) {
      spanCacheBytes = nonNegative("span cache size", bytes);
      return this;
    }

    /**
     * Adds a disk cache behind the in-memory one.
     *
     * @param directory the cache directory
     * @param maxBytes its size cap
     * @return this
     */
    public Builder diskCache(Path directory, long maxBytes) {
      diskCacheDirectory = Objects.requireNonNull(directory, "directory");
      diskCacheBytes = nonNegative("disk cache size", maxBytes);
      return this;
    }

    /**
     * @param bytes decompressed spans kept in memory for repeated reads (default 32 MiB; 0 for none)
     * @return this
     */
    public Builder decompressedCacheBytes(long bytes) {
      decompressedCacheBytes = nonNegative("decompressed cache size", bytes);
      return this;
    }

    /**
     * @param enabled fetch the spans named by the index's prefetch artifacts at open (default on)
     * @return this
     */
    public Builder prefetch(boolean enabled) {
      prefetch = enabled;
      return this;
    }

    /**
     * @param enabled fetch the prefetch artifacts' spans on a background thread (one range request
     *     per run of spans), first thing after open, instead of during it (default off: open returns
     *     with them cached); {@link SociImage#prefetched()} says when they are
     * @return this
     */
    public Builder prefetchInBackground(boolean enabled) {
      prefetchInBackground = enabled;
      return this;
    }

    /**
     * @param enabled fetch all remaining spans into the span cache in the background after open
     *     (default off; useful with a disk cache large enough for the image)
     * @return this
     */
    public Builder backgroundFetch(boolean enabled) {
      backgroundFetch = enabled;
      return this;
    }

    /**
     * @param enabled send a second copy of a span request that takes four times longer than the
     *     image's requests have taken for its size (at least 1 s, at most 10 s; 10 s before any
     *     answered): the first answer wins, so a stalled connection costs about that wait rather
     *     than the read timeout (default on; a copy counts as a retry in the stats)
     * @return this
     */
    public Builder hedgedRequests(boolean enabled) {
      hedgedRequests = enabled;
      return this;
    }

    /**
     * @param enabled read each zTOC by range (default on): at open its start and its TOC, each
     *     span's checkpoint (32 KiB of window) only when a read first needs the span, so reading a
     *     few files moves a fraction of the metadata. The parts are validated as a whole zTOC is,
     *     and span bytes stay verified against their digests, but the zTOC's own digest covers the
     *     whole blob and cannot be checked on parts. Off: every zTOC is fetched whole and checked
     *     against its digest before use. Small zTOCs, and zTOCs that are not gzip, are fetched
     *     whole either way.
     * @return this
     */
    public Builder lazyCheckpoints(boolean enabled) {
      lazyCheckpoints = enabled;
      return this;
    }

    /**
     * Keeps the image's metadata on disk, for the next process opening it: manifests, the SOCI
     * index and zTOCs fetched whole, stored under their digest and checked against it when read
     * back; and the parts of zTOCs read by range, each with its own SHA-256 checked when read back
     * (a damaged entry is dropped and fetched again). Off by default. Entries are small and only
     * ever added: delete the directory to reclaim the space.
     *
     * @param directory the cache directory (created if missing)
     * @return this
     */
    public Builder metadataCache(Path directory) {
      metadataCacheDirectory = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /**
     * @param threads range requests in parallel at most (default 8)
     * @return this
     */
    public Builder fetchThreads(int threads) {
      fetchThreads = positive("fetch threads", threads);
      return this;
    }

    /**
     * @param threads threads decompressing spans while pulling a layer (default: processors)
     * @return this
     */
    public Builder pullThreads(int threads) {
      pullThreads = positive("pull threads", threads);
      return this;
    }

    /**
     * @param bytes compressed bytes one range request asks for at most (default 32 MiB)
     * @return this
     */
    public Builder maxRequestBytes(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("max request bytes must be positive, got " + bytes);
      }
      maxRequestBytes = bytes;
      return this;
    }

    /**
     * @param attempts attempts after the first for a transiently failing request (default 3)
     * @return this
     */
    public Builder retries(int attempts) {
      if (attempts < 0) {
        throw new IllegalArgumentException("retries must not be negative, got " + attempts);
      }
      retries = attempts;
      return this;
    }

    /**
     * @param wait the wait before the first retry, doubling after (default 100 ms)
     * @return this
     */
    public Builder retryBackoff(Duration wait) {
      if (wait.isNegative()) {
        throw new IllegalArgumentException("retry backoff must not be negative, got " + wait);
      }
      retryBackoff = wait;
      return this;
    }

    /**
     * @param bytes decompressed bytes of a layer without zTOC kept in memory (default 64 MiB)
     * @return this
     */
    public Builder wholeLayerMemoryBytes(long bytes) {
      wholeLayerMemoryBytes = nonNegative("whole layer memory", bytes);
      return this;
    }

    /**
     * @param directory where temporary files go (default {@code java.io.tmpdir})
     * @return this
     */
    public Builder tempDirectory(Path directory) {
      tempDirectory = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /** {@return the options} */
    public SociImageOptions build() {
      return new SociImageOptions(this);
    }

    private static long nonNegative(String what, long v) {
      if (v < 0) {
        throw new IllegalArgumentException(what + " must not be negative, got " + v);
      }
      return v;
    }

    private static int positive(String what, int v) {
      if (v < 1) {
        throw new IllegalArgumentException(what + " must be at least 1, got " + v);
      }
      return v;
    }
  }
}
