package io.soci4j.ztoc.index;

import io.soci4j.api.Platform;
import io.soci4j.ztoc.ZtocBuilder;
import java.util.List;

/**
 * Options of {@link SociIndexBuilder}.
 *
 * @param spanSize zTOC span size
 * @param minLayerSize layers below this size are skipped
 * @param buildTool build tool identifier
 * @param platforms platforms to index (empty: the JVM's platform)
 * @param allPlatforms index every platform
 * @param disableXattrs add the disable-xattrs annotation where it applies
 * @param prefetchPaths files whose spans go into prefetch artifacts
 * @param forceRecreate never reuse existing zTOCs
 * @param concurrency layers processed at once
 * @param progress receives per-layer progress
 * @param zstdLayers index tar+zstd layers (a soci4j extension upstream readers reject)
 */
public record IndexOptions(long spanSize, long minLayerSize, String buildTool, List<Platform> platforms,
    boolean allPlatforms, boolean disableXattrs, List<String> prefetchPaths, boolean forceRecreate, int concurrency,
    BuildProgress progress, boolean zstdLayers) {

  static final IndexOptions DEFAULTS = new IndexOptions(ZtocBuilder.DEFAULT_SPAN_SIZE,
      SociIndexBuilder.DEFAULT_MIN_LAYER_SIZE, ZtocBuilder.DEFAULT_BUILD_TOOL, List.of(), false, false, List.of(),
      false, Math.max(1, Runtime.getRuntime().availableProcessors()), BuildProgress.NONE, false);

  /** A mutable copy, for {@link SociIndexBuilder}'s copy-on-write option methods. */
  static final class Draft {
    long spanSize;
    long minLayerSize;
    String buildTool;
    List<Platform> platforms;
    boolean allPlatforms;
    boolean disableXattrs;
    List<String> prefetchPaths;
    boolean forceRecreate;
    int concurrency;
    BuildProgress progress;
    boolean zstdLayers;

    Draft(IndexOptions o) {
      spanSize = o.spanSize;
      minLayerSize = o.minLayerSize;
      buildTool = o.buildTool;
      platforms = o.platforms;
      allPlatforms = o.allPlatforms;
      disableXattrs = o.disableXattrs;
      prefetchPaths = o.prefetchPaths;
      forceRecreate = o.forceRecreate;
      concurrency = o.concurrency;
      progress = o.progress;
      zstdLayers = o.zstdLayers;
    }

    IndexOptions build() {
      return new IndexOptions(spanSize, minLayerSize, buildTool, List.copyOf(platforms), allPlatforms, disableXattrs,
          List.copyOf(prefetchPaths), forceRecreate, concurrency, progress, zstdLayers);
    }
  }
}
