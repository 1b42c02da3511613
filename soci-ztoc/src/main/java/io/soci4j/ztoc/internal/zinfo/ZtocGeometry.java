package io.soci4j.ztoc.internal.zinfo;

import io.soci4j.ztoc.Ztoc;
import java.util.function.Function;

/**
 * Gives modules of soci4j the decoded {@link SpanGeometry} a {@link Ztoc} keeps, without putting
 * the internal type into {@code Ztoc}'s public signature. {@code Ztoc} registers its accessor when
 * its class is initialized, which happens before any instance exists.
 */
public final class ZtocGeometry {
  private static volatile Function<Ztoc, SpanGeometry> accessor;

  private ZtocGeometry() {}

  /**
   * The span geometry of a zTOC, decoded once and cached by the zTOC.
   *
   * @param ztoc the zTOC
   * @return its geometry ({@link GzipCheckpoints} or {@link TarZinfo})
   * @throws IllegalStateException when the zTOC was constructed with an invalid checkpoint blob
   */
  public static SpanGeometry of(Ztoc ztoc) {
    return accessor.apply(ztoc);
  }

  /**
   * Called once by {@link Ztoc}'s static initializer.
   *
   * @param ztocAccessor reads a zTOC's geometry
   */
  public static void register(Function<Ztoc, SpanGeometry> ztocAccessor) {
    if (accessor != null) {
      throw new IllegalStateException("the Ztoc geometry accessor is already registered");
    }
    accessor = ztocAccessor;
  }
}
