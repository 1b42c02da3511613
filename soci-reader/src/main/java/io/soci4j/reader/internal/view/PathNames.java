package io.soci4j.reader.internal.view;

import java.util.ArrayList;
import java.util.List;

/** Splits layer entry names and image paths into components. */
public final class PathNames {
  private PathNames() {}

  /**
   * The components of a layer entry name, cleaned lexically as containerd does before applying a
   * layer: {@code ./a/b/} and {@code a//b} give {@code [a, b]}, {@code ./x/./y/../z} gives {@code
   * [x, z]}; {@code ./} and {@code .} give the root (no components).
   *
   * @param name the name as stored in the tar
   * @return the components, or null when the name is unsafe (see {@link #unsafeReason})
   */
  public static List<String> entryComponents(String name) {
    return isAbsolute(name) || name.indexOf('\0') >= 0 ? null : clean(name);
  }

  /**
   * Why an entry name cannot be applied inside an image root, or null when it can: a leading
   * {@code /} (other than the root itself), a NUL, or a {@code ..} that climbs above the root once
   * the name is cleaned ({@code a/../../b}). A {@code ..} that stays inside ({@code a/../b}) is
   * fine: containerd cleans names the same way.
   *
   * @param name the name as stored in the tar
   * @return the reason, or null
   */
  public static String unsafeReason(String name) {
    if (entryComponents(name) != null) {
      return null;
    }
    return isAbsolute(name) ? "absolute name" : name.indexOf('\0') >= 0 ? "NUL in name"
        : "'..' leads out of the image root";
  }

  /** A leading {@code /} on anything but the root itself. */
  private static boolean isAbsolute(String name) {
    return name.startsWith("/") && !split(name).isEmpty();
  }

  /** Components with {@code .} and empty ones dropped and {@code ..} applied; null when one climbs above the root. */
  private static List<String> clean(String name) {
    List<String> out = split(name);
    int kept = 0;
    for (String c : out) {
      if (c.equals("..")) {
        if (kept == 0) {
          return null;
        }
        kept--;
      } else {
        out.set(kept++, c);
      }
    }
    return out.subList(0, kept);
  }

  /**
   * Splits a path on {@code /}, dropping empty and {@code .} components (keeps {@code ..}).
   *
   * @param path the path
   * @return its components
   */
  public static List<String> split(String path) {
    List<String> out = new ArrayList<>();
    int start = 0;
    int n = path.length();
    while (start <= n) {
      int slash = path.indexOf('/', start);
      int end = slash < 0 ? n : slash;
      String c = path.substring(start, end);
      if (!c.isEmpty() && !c.equals(".")) {
        out.add(c);
      }
      start = end + 1;
    }
    return out;
  }

  /**
   * The absolute path of components.
   *
   * @param components components
   * @return {@code /a/b}, or {@code /} when there are none
   */
  public static String join(List<String> components) {
    return components.isEmpty() ? "/" : "/" + String.join("/", components);
  }
}
