package io.soci4j.reader;

import io.soci4j.api.Descriptor;
import io.soci4j.api.ImageStore;
import io.soci4j.reader.internal.cache.ByteLru;
import io.soci4j.reader.internal.extract.TreeExtractor;
import io.soci4j.reader.internal.fetch.FetchPool;
import io.soci4j.reader.internal.layer.ImageFileChannel;
import io.soci4j.reader.internal.layer.LayerData;
import io.soci4j.reader.internal.layer.SpanLayer;
import io.soci4j.reader.internal.open.BackgroundFetch;
import io.soci4j.reader.internal.open.ImageLoader;
import io.soci4j.reader.internal.stats.MetadataCounters;
import io.soci4j.reader.internal.view.MergedTree;
import io.soci4j.reader.internal.view.Node;
import io.soci4j.reader.internal.view.PathNames;
import io.soci4j.reader.internal.view.PathResolver;
import io.soci4j.ztoc.EntryType;
import io.soci4j.ztoc.index.FoundIndex;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * An image opened through its SOCI index: read any file without pulling the image.
 *
 * <pre>{@code
 * try (SociImage image = SociImage.open(store, "latest")) {
 *   byte[] osRelease = image.readAllBytes("/etc/os-release");
 *   for (ImageEntry e : image.list("/etc")) {
 *     System.out.println(e.name() + " " + e.size());
 *   }
 *   System.err.print(image.stats().format());
 * }
 * }</pre>
 *
 * <p>Opening resolves the platform manifest and its SOCI index, fetches the zTOCs, fetches whole
 * (once) any layer without a zTOC, and merges all layers into one file system with OCI layer
 * semantics (later layers win; whiteouts and opaque directories applied; hard links shared;
 * symbolic links resolved inside the image, never out of it). A read fetches, with range
 * requests, only the compressed spans that hold the bytes asked for, verifies each against its
 * digest and decompresses it from its checkpoint; spans are cached ({@link SpanCache}).
 *
 * <p>Thread-safe: any number of threads may read at once. Paths are absolute or relative to the
 * image root, with {@code /} separators. The store is not closed with the image.
 */
public final class SociImage implements Closeable {
  private final SociImageOptions options;
  private final ExecutorService pool;
  private final SpanCache cache;
  private final boolean ownsCache;
  private final MetadataCounters metadata;
  private final FoundIndex index;
  private final List<LayerData> layers;
  private final List<LayerData> distinct;
  private final MergedTree tree;
  private final PathResolver resolver;
  private final BackgroundFetch background;
  private volatile boolean closed;

  private SociImage(SociImageOptions options, ExecutorService pool, SpanCache cache, boolean ownsCache,
      MetadataCounters metadata, ImageLoader.Loaded loaded) {
    this.options = options;
    this.pool = pool;
    this.cache = cache;
    this.ownsCache = ownsCache;
    this.metadata = metadata;
    this.index = loaded.index();
    this.layers = List.copyOf(loaded.layers());
    this.distinct = List.copyOf(loaded.distinct());
    this.tree = loaded.tree();
    this.resolver = new PathResolver(tree.root());
    this.background = options.backgroundFetch() || !loaded.prefetch().isEmpty()
        ? BackgroundFetch.start(loaded.prefetch(), options.backgroundFetch() ? distinct : null) : null;
  }

  /**
   * Opens an image with the default options.
   *
   * @param store where the image and its SOCI index are
   * @param reference tag or digest of the image (manifest or multi-platform index)
   * @return the opened image; close it
   * @throws io.soci4j.api.ContentNotFoundException when the image, its platform manifest or its
   *     SOCI index does not exist
   * @throws IOException on other failures
   */
  public static SociImage open(ImageStore store, String reference) throws IOException {
    return open(store, reference, SociImageOptions.defaults());
  }

  /**
   * Opens an image.
   *
   * @param store where the image and its SOCI index are
   * @param reference tag or digest of the image (manifest or multi-platform index)
   * @param options fetch and cache options
   * @return the opened image; close it
   * @throws io.soci4j.api.ContentNotFoundException when the image, its platform manifest or its
   *     SOCI index does not exist
   * @throws IOException on other failures
   */
  public static SociImage open(ImageStore store, String reference, SociImageOptions options) throws IOException {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(options, "options");
    SpanCache cache = options.spanCache().orElse(null);
    boolean owns = cache == null;
    if (owns) {
      SpanCache memory = options.spanCacheBytes() > 0 ? SpanCache.memory(options.spanCacheBytes()) : SpanCache.none();
      cache = options.diskCacheDirectory().isPresent()
          ? SpanCache.tiered(memory, SpanCache.disk(options.diskCacheDirectory().get(), options.diskCacheBytes()))
          : memory;
    }
    ExecutorService pool = FetchPool.create(options.fetchThreads(), "soci-fetch");
    MetadataCounters metadata = new MetadataCounters();
    try {
      ImageLoader.Loaded loaded = new ImageLoader(store, options, pool, cache,
          new ByteLru<>(options.decompressedCacheBytes()), metadata).load(reference);
      metadata.opened();
      return new SociImage(options, pool, cache, owns, metadata, loaded);
    } catch (IOException | RuntimeException e) {
      pool.shutdownNow();
      if (owns) {
        cache.close();
      }
      throw e;
    }
  }

  /** {@return the options the image was opened with} */
  public SociImageOptions options() {
    return options;
  }

  /** {@return the image manifest read (the platform's, in a multi-platform image)} */
  public Descriptor manifest() {
    return index.manifest();
  }

  /** {@return the descriptor of the SOCI index used} */
  public Descriptor sociIndex() {
    return index.indexDescriptor();
  }

  /** {@return the layers, bottom first} */
  public List<ImageLayer> layers() {
    List<ImageLayer> out = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      LayerData l = layers.get(i);
      out.add(new ImageLayer(i, l.descriptor(), l.indexed(),
          l instanceof SpanLayer s ? s.fetcher().spanCount() : 0));
    }
    return out;
  }

  /** {@return layer entries left out of the merged view as unsafe or impossible, in layer order} */
  public List<RejectedEntry> rejectedEntries() {
    return tree.rejected();
  }

  /**
   * Describes a path.
   *
   * @param path the path
   * @param linkOptions {@link LinkOption#NOFOLLOW_LINKS} to describe a final symbolic link itself
   * @return what it is
   * @throws PathNotFoundException when it does not exist
   * @throws SymlinkLoopException when links loop
   */
  public ImageEntry stat(String path, LinkOption... linkOptions) throws IOException {
    ensureOpen();
    PathResolver.Resolved r = resolver.resolve(path, follows(linkOptions));
    return entry(displayPath(path), r.node());
  }

  /**
   * Whether a path exists.
   *
   * @param path the path
   * @param linkOptions {@link LinkOption#NOFOLLOW_LINKS} to not follow a final symbolic link
   * @return true when {@link #stat} would succeed
   */
  public boolean exists(String path, LinkOption... linkOptions) {
    ensureOpen();
    try {
      resolver.resolve(path, follows(linkOptions));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The path with every symbolic link resolved (inside the image).
   *
   * @param path the path
   * @return an absolute path without links, {@code .} or {@code ..}
   * @throws PathNotFoundException when it does not exist
   * @throws SymlinkLoopException when links loop
   */
  public String realPath(String path) throws IOException {
    ensureOpen();
    return resolver.resolve(path, true).path();
  }

  /**
   * Lists a directory (following symbolic links to it).
   *
   * @param directory the directory
   * @return its entries, sorted by name; symbolic links among them are described, not followed
   * @throws PathNotFoundException when it does not exist
   * @throws io.soci4j.api.SociException when it is not a directory
   */
  public List<ImageEntry> list(String directory) throws IOException {
    ensureOpen();
    Node dir = resolver.resolve(directory, true).node();
    if (!dir.isDirectory()) {
      throw new io.soci4j.api.SociException("'" + directory + "' is not a directory");
    }
    String base = displayPath(directory);
    List<ImageEntry> out = new ArrayList<>();
    for (Map.Entry<String, Node> c : dir.children().entrySet()) {
      out.add(entry(base.equals("/") ? "/" + c.getKey() : base + "/" + c.getKey(), c.getValue()));
    }
    return out;
  }

  /**
   * The target of a symbolic link, as stored.
   *
   * @param path the link
   * @return its target
   * @throws PathNotFoundException when it does not exist
   * @throws io.soci4j.api.SociException when it is not a symbolic link
   */
  public String readSymbolicLink(String path) throws IOException {
    ensureOpen();
    Node n = resolver.resolve(path, false).node();
    if (n.type() != EntryType.SYMLINK) {
      throw new io.soci4j.api.SociException("'" + path + "' is not a symbolic link");
    }
    return n.linkTarget();
  }

  /**
   * Reads a whole file (following symbolic links).
   *
   * @param path the file
   * @return its bytes
   * @throws PathNotFoundException when it does not exist
   * @throws NotRegularFileException when it is not a regular file
   * @throws io.soci4j.ztoc.SpanVerificationException when a span fails verification twice
   * @throws IOException on other failures
   */
  public byte[] readAllBytes(String path) throws IOException {
    Node n = file(path);
    if (n.size() > Integer.MAX_VALUE - 8) {
      throw new io.soci4j.api.SociException("'" + path + "' has " + n.size() + " bytes, too many for an array: "
          + "use open()");
    }
    return read(n, 0, (int) n.size());
  }

  /**
   * Reads a range of a file; fewer bytes when the file ends first.
   *
   * @param path the file (symbolic links followed)
   * @param position first byte
   * @param length bytes wanted
   * @return the bytes, {@code min(length, size - position)} of them (none at or past the end)
   * @throws IOException as {@link #readAllBytes}
   */
  public byte[] read(String path, long position, int length) throws IOException {
    if (position < 0 || length < 0) {
      throw new IllegalArgumentException("negative position or length: " + position + ", " + length);
    }
    Node n = file(path);
    int len = (int) Math.max(0, Math.min(length, n.size() - position));
    return read(n, position, len);
  }

  /**
   * Opens a file for reading at any position.
   *
   * @param path the file (symbolic links followed)
   * @return a read-only channel; not thread-safe, close it
   * @throws IOException as {@link #readAllBytes}
   */
  public SeekableByteChannel open(String path) throws IOException {
    Node n = file(path);
    Node.FileData d = n.data();
    return new ImageFileChannel(layers.get(d.layer()), d.offset(), d.size(), metadata::firstByte);
  }

  /**
   * Opens a file for positional reads from any number of threads.
   *
   * @param path the file (symbolic links followed)
   * @return the file; reads fail once the image is closed
   * @throws IOException as {@link #readAllBytes}
   */
  public ImageFile openFile(String path) throws IOException {
    Node n = file(path);
    Node.FileData d = n.data();
    LayerData layer = layers.get(d.layer());
    long size = d.size();
    return new ImageFile() {
      @Override
      public long size() {
        return size;
      }

      @Override
      public int read(long position, byte[] dst, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, dst.length);
        if (position < 0) {
          throw new IllegalArgumentException("negative position " + position);
        }
        ensureOpen();
        int n = (int) Math.max(0, Math.min(len, size - position));
        if (n > 0) {
          layer.read(d.offset() + position, dst, off, n);
          metadata.firstByte();
        }
        return n;
      }
    };
  }

  /**
   * Opens a file as a stream.
   *
   * @param path the file (symbolic links followed)
   * @return the stream; close it
   * @throws IOException as {@link #readAllBytes}
   */
  public InputStream newInputStream(String path) throws IOException {
    return Channels.newInputStream(open(path));
  }

  /**
   * Writes the uncompressed tar stream of a layer (its "diff"): the spans are fetched in batches
   * and decompressed in parallel, each from its checkpoint, and written in order; the output is
   * byte for byte the layer blob decompressed, and hashes to the layer's diff ID.
   *
   * @param layerIndex the layer, 0 for the bottom one
   * @param out where to write; not closed
   * @throws IOException on fetch, verification or decompression failure
   */
  public void pullLayer(int layerIndex, OutputStream out) throws IOException {
    ensureOpen();
    Objects.checkIndex(layerIndex, layers.size());
    layers.get(layerIndex).writeTo(out);
  }

  /**
   * Writes the uncompressed tar stream of a layer to a file (see {@link #pullLayer(int,
   * OutputStream)}).
   *
   * The tar is written to a temporary file beside {@code file} and renamed into place when
   * complete, so {@code file} is never left truncated (a failure removes the temporary file).
   *
   * @param layerIndex the layer
   * @param file the file, created or replaced
   * @throws IOException on failure
   */
  public void pullLayer(int layerIndex, Path file) throws IOException {
    Path target = file.toAbsolutePath();
    Path tmp = io.soci4j.api.internal.ShutdownCleanup.register(
        Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".soci-tmp"));
    try {
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
        pullLayer(layerIndex, out);
      }
      Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
      io.soci4j.api.internal.ShutdownCleanup.done(tmp);
    }
  }

  /**
   * Extracts the merged file system into a new directory with the default {@link ExtractOptions}:
   * an image with an entry that cannot be extracted safely is refused before anything is written.
   *
   * @param directory the target; must not exist; its parent must
   * @return what was written
   * @throws UnsafeEntryException listing every such entry; nothing is written
   * @throws java.nio.file.FileAlreadyExistsException when the target exists
   * @throws IOException on other failures (the temporary directory is removed)
   * @see #extractTo(Path, ExtractOptions)
   */
  public ExtractReport extractTo(Path directory) throws IOException {
    return extractTo(directory, ExtractOptions.defaults());
  }

  /**
   * Extracts the merged file system into a new directory: directories, files (with their mode and
   * modification time), symbolic links as links (never followed), hard links as links; devices
   * and FIFOs are skipped; ownership is not changed. Everything is written into a temporary
   * directory beside the target and renamed into place at the end, so the target appears
   * complete or not at all. The spans of the files about to be written are fetched ahead, half
   * the {@linkplain SociImageOptions#fetchThreads() fetch threads} at once, so a slow or stalled
   * request holds up only the files that need it while the other requests go on.
   *
   * <p>The entries it cannot write safely are found before anything is written: those the merged
   * view left out ({@link #rejectedEntries}) and those this system cannot create (see {@link
   * ExtractOptions}). They fail the extraction together, or are left out and listed in the report
   * when {@link ExtractOptions#skipUnsafeEntries()}.
   *
   * @param directory the target; must not exist; its parent must
   * @param options what to do with unsafe entries
   * @return what was written and what was left out
   * @throws UnsafeEntryException listing every unsafe entry, unless they are skipped; nothing is
   *     written
   * @throws java.nio.file.FileAlreadyExistsException when the target exists
   * @throws IOException on other failures (the temporary directory is removed)
   */
  public ExtractReport extractTo(Path directory, ExtractOptions options) throws IOException {
    ensureOpen();
    int readAhead = Math.max(1, this.options.fetchThreads() / 2);
    return new TreeExtractor(tree, layers, options, pool, readAhead).extractTo(directory);
  }

  /**
   * The background fetch of all spans not cached yet ({@link SociImageOptions#backgroundFetch()}).
   *
   * @return completed when every span was fetched (at once when the option is off); exceptional
   *     when a fetch failed or the image was closed first
   */
  public CompletableFuture<Void> backgroundFetch() {
    return background == null || !options.backgroundFetch() ? CompletableFuture.completedFuture(null)
        : background.done();
  }

  /**
   * The fetch of the spans the SOCI index's prefetch artifacts name: done at open, or in the
   * background with {@link SociImageOptions.Builder#prefetchInBackground}.
   *
   * @return completed when those spans are cached (at once when they were fetched at open or there
   *     are none); exceptional when a fetch failed or the image was closed first
   */
  public CompletableFuture<Void> prefetched() {
    return background == null ? CompletableFuture.completedFuture(null) : background.prefetched();
  }

  /** {@return a snapshot of the fetch statistics} */
  public ReaderStats stats() {
    List<LayerStats> per = new ArrayList<>();
    long bytes = metadata.bytes();
    long requests = metadata.requests();
    long hits = 0;
    long misses = 0;
    long fetched = 0;
    long decompressed = 0;
    long whole = 0;
    long checkpoints = 0;
    java.util.Set<LayerData> counted = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    for (LayerData l : layers) {
      LayerStats s = l.counters().snapshot();
      per.add(s);
      if (counted.add(l)) {
        bytes += s.bytesFetched();
        requests += s.requests();
        hits += s.cacheHits();
        misses += s.cacheMisses();
        fetched += s.spansFetched();
        decompressed += s.spansDecompressed();
        whole += s.wholeLayerFetches();
        if (l instanceof SpanLayer sl && sl.ztoc().whole().isEmpty()) {
          checkpoints += sl.ztoc().checkpointsLoaded();
        }
      }
    }
    return new ReaderStats(bytes, requests, metadata.bytes(), metadata.requests(), hits, misses, fetched,
        decompressed, whole, checkpoints, metadata.openNanos(), metadata.firstByteNanos(), per);
  }

  /**
   * Stops the background fetch, closes the layer sources and deletes temporary files, and closes
   * the span cache if the image created it. Reads in progress may fail.
   *
   * @throws IOException when closing fails
   */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    if (background != null) {
      background.stop();
    }
    pool.shutdownNow();
    IOException failure = null;
    for (LayerData l : distinct) {
      try {
        l.close();
      } catch (IOException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (ownsCache) {
      try {
        cache.close();
      } catch (IOException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public String toString() {
    return "SociImage[" + index.manifest().digest() + ", " + layers.size() + " layers]";
  }

  private Node file(String path) throws IOException {
    ensureOpen();
    Node n = resolver.resolve(path, true).node();
    if (n.type() != EntryType.REGULAR) {
      throw new NotRegularFileException(path, n.type());
    }
    return n;
  }

  private byte[] read(Node n, long position, int len) throws IOException {
    byte[] out = new byte[len];
    Node.FileData d = n.data();
    layers.get(d.layer()).read(d.offset() + position, out, 0, len);
    metadata.firstByte();
    return out;
  }

  private ImageEntry entry(String path, Node n) {
    Node.Attributes a = n.attributes();
    return new ImageEntry(path, n.type(), n.size(), a.mode(), a.uid(), a.gid(), a.uname(), a.gname(), a.modTime(),
        n.linkTarget(), a.devMajor(), a.devMinor(), layers.isEmpty() ? manifest().digest()
        : layers.get(Math.min(n.layer(), layers.size() - 1)).descriptor().digest(), n.id(), a.xattrs());
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the image is closed");
    }
  }

  private static boolean follows(LinkOption... linkOptions) {
    for (LinkOption o : linkOptions) {
      if (o == LinkOption.NOFOLLOW_LINKS) {
        return false;
      }
    }
    return true;
  }

  private static String displayPath(String path) {
    return PathNames.join(PathNames.split(path));
  }
}
