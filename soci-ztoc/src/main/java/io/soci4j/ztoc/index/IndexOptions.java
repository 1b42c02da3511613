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
 */
public record IndexOptions(long spanSize, long minLayerSize, String buildTool, List<Platform> platforms,
    boolean allPlatforms, boolean disableXattrs, List<String> prefetchPaths, boolean forceRecreate, int concurrency,
    BuildProgress progress) {

  static final IndexOptions DEFAULTS = new IndexOptions(ZtocBuilder.DEFAULT_SPAN_SIZE,
      SociIndexBuilder.DEFAULT_MIN_LAYER_SIZE, ZtocBuilder.DEFAULT_BUILD_TOOL, List.of(), false, false, List.of(),
      false, Math.max(1, Runtime.getRuntime().availableProcessors()), BuildProgress.NONE);

  IndexOptions withSpanSize(long v) {
    return new IndexOptions(v, minLayerSize, buildTool, platforms, allPlatforms, disableXattrs, prefetchPaths,
        forceRecreate, concurrency, progress);
  }

  IndexOptions withMinLayerSize(long v) {
    return new IndexOptions(spanSize, v, buildTool, platforms, allPlatforms, disableXattrs, prefetchPaths,
        forceRecreate, concurrency, progress);
  }

  IndexOptions withBuildTool(String v) {
    return new IndexOptions(spanSize, minLayerSize, v, platforms, allPlatforms, disableXattrs, prefetchPaths,
        forceRecreate, concurrency, progress);
  }

  IndexOptions withPlatforms(List<Platform> v) {
    return new IndexOptions(spanSize, minLayerSize, buildTool, v, allPlatforms, disableXattrs, prefetchPaths,
        forceRecreate, concurrency, progress);
  }

  IndexOptions withAllPlatforms(boolean v) {
    return new IndexOptions(spanSize, minLayerSize, buildTool, platforms, v, disableXattrs, prefetchPaths,
        forceRecreate, concurrency, progress);
  }

  IndexOptions withDisableXattrs(boolean v) {
    return new IndexOptions(spanSize, minLayerSize, buildTool, platforms, allPlatforms, v, prefetchPaths,
        forceRecreate, concurrency, progress);
  }

  IndexOptions withPrefetchPaths(List<String> v) {
    return new IndexOptions(spanSize, minLayerSize, buildTool, platforms, allPlatforms, disableXattrs, v,
        forceRecreate, concurrency, progress);
  }

  IndexOptions withForceRecreate(boolean v) {
    return new IndexOptions(spanSize, minLayerSize, buildTool, platforms, allPlatforms, disableXattrs, prefetchPaths,
        v, concurrency, progress);
  }

  IndexOptions withProgress(BuildProgress v) {
    return new IndexOptions(spanSize, minLayerSize, buildTool, platforms, allPlatforms, disableXattrs, prefetchPaths,
        forceRecreate, concurrency, v);
  }

  IndexOptions withConcurrency(int v) {
    return new IndexOptions(spanSize, minLayerSize, buildTool, platforms, allPlatforms, disableXattrs, prefetchPaths,
        forceRecreate, v, progress);
  }
}
