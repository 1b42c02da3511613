package io.soci4j.ztoc.index;

import io.soci4j.api.SociException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A SOCI index could not be built: some layers failed, or every layer was skipped. Carries the
 * report of every layer, so callers see what happened to the others too.
 *
 * <p>When layers failed, its {@linkplain #getCause() cause} is the first one's failure (a
 * {@link io.soci4j.api.LayerFormatException} for a corrupt layer, for instance).
 */
public final class IndexBuildException extends SociException {
  private static final long serialVersionUID = 1L;
  private final transient List<LayerReport> reports;
  private final String problem;

  /**
   * @param problem what went wrong
   * @param reports the report of every layer
   */
  public IndexBuildException(String problem, List<LayerReport> reports) {
    super(problem + ": " + reports.stream()
        .map(r -> r.layer().digest() + " " + r.status().name().toLowerCase(java.util.Locale.ROOT)
            + (r.reason().isEmpty() ? "" : " (" + r.reason() + ")"))
        .collect(Collectors.joining("; ")));
    this.reports = List.copyOf(reports);
    this.problem = problem;
  }

  /** {@return what went wrong, without the layer reports the message adds} */
  public String problem() {
    return problem;
  }

  /** {@return the report of every layer} */
  public List<LayerReport> reports() {
    return reports;
  }
}
