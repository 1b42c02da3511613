package io.soci4j.fuse.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/** The paths of the files opened through a mount, each once, in the order first opened; thread-safe. */
public final class AccessLog {
  private final LinkedHashSet<String> paths = new LinkedHashSet<>();

  /** @param path a file just opened */
  synchronized void opened(String path) {
    paths.add(path);
  }

  /** {@return the paths, in first-open order} */
  public synchronized List<String> paths() {
    return new ArrayList<>(paths);
  }
}
