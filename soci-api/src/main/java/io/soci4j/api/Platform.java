package io.soci4j.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An image platform as in OCI image indexes: operating system, architecture, optional variant,
 * OS version and OS features ({@code linux/amd64}, {@code linux/arm64/v8}).
 *
 * <p>Parsing, normalization and strict matching follow containerd's {@code platforms} package
 * (v1.0.0-rc.4), which upstream soci-snapshotter uses to choose what to convert: {@link #parse}
 * accepts {@code os[(version[+feature]...)][/arch[/variant]]}, {@link #normalize()} maps aliases
 * ({@code x86_64} to {@code amd64}, {@code aarch64} to {@code arm64}, {@code arm64/v8} to {@code
 * arm64}), and {@link #matchesStrictly} is {@code platforms.OnlyStrict(this).Match(image)}.
 *
 * @param os operating system, e.g. {@code linux}
 * @param architecture CPU architecture in Go's names, e.g. {@code amd64}, {@code arm64}
 * @param variant CPU variant, e.g. {@code v8}; empty when none
 * @param osVersion OS version ({@code os.version}, Windows builds); empty when none
 * @param osFeatures OS features ({@code os.features}), in the order written; empty when none
 */
public record Platform(String os, String architecture, String variant, String osVersion, List<String> osFeatures) {
  private static final Pattern COMPONENT = Pattern.compile("[A-Za-z0-9_.-]+");
  private static final Pattern OS_PART =
      Pattern.compile("([A-Za-z0-9_-]+)(?:\\(([A-Za-z0-9_.%-]*)((?:\\+[A-Za-z0-9_.%-]+)*)\\))?");
  private static final Set<String> KNOWN_OS = Set.of("aix", "android", "darwin", "dragonfly", "freebsd", "hurd",
      "illumos", "ios", "js", "linux", "nacl", "netbsd", "openbsd", "plan9", "solaris", "windows", "zos");
  private static final Set<String> KNOWN_ARCH = Set.of("386", "amd64", "amd64p32", "arm", "armbe", "arm64",
      "arm64be", "ppc64", "ppc64le", "loong64", "mips", "mipsle", "mips64", "mips64le", "mips64p32", "mips64p32le",
      "ppc", "riscv", "riscv64", "s390", "s390x", "sparc", "sparc64", "wasm");

  /**
   * Validates the parts.
   *
   * @param os see the record component
   * @param architecture see the record component
   * @param variant see the record component
   * @param osVersion see the record component
   * @param osFeatures see the record component
   */
  public Platform {
    Objects.requireNonNull(os, "os");
    Objects.requireNonNull(architecture, "architecture");
    variant = variant == null ? "" : variant;
    osVersion = osVersion == null ? "" : osVersion;
    osFeatures = osFeatures == null ? List.of() : List.copyOf(osFeatures);
    if (os.isEmpty() || architecture.isEmpty()) {
      throw new IllegalArgumentException("platform needs an os and an architecture, got '" + os + "/"
          + architecture + "'");
    }
  }

  /**
   * A platform without OS version or features.
   *
   * @param os operating system
   * @param architecture architecture
   * @param variant variant, or empty
   */
  public Platform(String os, String architecture, String variant) {
    this(os, architecture, variant, "", List.of());
  }

  /**
   * Parses a platform specifier as containerd does: {@code os/arch[/variant]}, where {@code os}
   * may carry {@code (version+feature+...)}, or a single OS (the JVM's architecture is assumed)
   * or architecture (the JVM's OS is assumed). Aliases are normalized ({@code linux/x86_64} is
   * {@code linux/amd64}); {@code linux/arm64} has no variant while {@code linux/arm64/v8} keeps
   * {@code v8}.
   *
   * @param text the platform text
   * @return the platform
   * @throws IllegalArgumentException when it is not of that form, naming what is wrong
   */
  public static Platform parse(String text) {
    Objects.requireNonNull(text, "text");
    if (text.contains("*")) {
      throw new IllegalArgumentException("invalid platform '" + text + "': wildcards are not supported");
    }
    String[] parts = text.split("/", 4);
    Matcher osPart = OS_PART.matcher(parts[0]);
    if (!osPart.matches()) {
      throw new IllegalArgumentException("invalid platform '" + text + "': want os[(version)]/arch[/variant]");
    }
    for (int i = 1; i < parts.length; i++) {
      if (!COMPONENT.matcher(parts[i]).matches()) {
        throw new IllegalArgumentException("invalid platform '" + text + "': component '" + parts[i]
            + "' is not made of letters, digits, '_', '.' and '-'");
      }
    }
    String os = normalizeOs(osPart.group(1));
    String version = decodeOption(osPart.group(2) == null ? "" : osPart.group(2), text);
    List<String> features = new ArrayList<>();
    String rawFeatures = osPart.group(3) == null ? "" : osPart.group(3);
    if (!rawFeatures.isEmpty()) {
      for (String f : rawFeatures.substring(1).split("\\+", -1)) {
        String decoded = decodeOption(f.strip(), text);
        if (!decoded.isEmpty()) {
          features.add(decoded);
        }
      }
    }
    switch (parts.length) {
      case 1 -> {
        Platform host = current();
        if (KNOWN_OS.contains(os)) {
          return new Platform(os, host.architecture, "", version, features);
        }
        String[] av = normalizeArch(parts[0], "");
        if (av[0].equals("arm") && av[1].equals("v7")) {
          av[1] = "";
        }
        if (KNOWN_ARCH.contains(av[0])) {
          return new Platform(host.os, av[0], av[1]);
        }
        throw new IllegalArgumentException("invalid platform '" + text
            + "': unknown operating system or architecture; want os/arch[/variant], e.g. linux/amd64");
      }
      case 2 -> {
        String[] av = normalizeArch(parts[1], "");
        if (av[0].equals("arm") && av[1].equals("v7")) {
          av[1] = "";
        }
        return new Platform(os, av[0], av[1], version, features);
      }
      case 3 -> {
        String[] av = normalizeArch(parts[1], parts[2]);
        if (av[0].equals("arm64") && av[1].isEmpty()) {
          av[1] = "v8";
        }
        return new Platform(os, av[0], av[1], version, features);
      }
      default -> throw new IllegalArgumentException("invalid platform '" + text + "': want os/arch[/variant]");
    }
  }

  /**
   * {@return the platform of the running JVM as containerd's {@code platforms.DefaultSpec()}: Go's
   * names, variant {@code v8} on arm64, {@code v7} on arm}
   */
  public static Platform current() {
    String os = System.getProperty("os.name", "linux").toLowerCase(Locale.ROOT);
    String goOs = os.startsWith("windows") ? "windows" : os.startsWith("mac") ? "darwin" : "linux";
    String arch = System.getProperty("os.arch", "amd64").toLowerCase(Locale.ROOT);
    return switch (arch) {
      case "x86_64", "amd64" -> new Platform(goOs, "amd64", "");
      case "aarch64", "arm64" -> new Platform(goOs, "arm64", "v8");
      case "arm" -> new Platform(goOs, "arm", "v7");
      case "x86", "i386", "i686" -> new Platform(goOs, "386", "");
      default -> new Platform(goOs, arch, "");
    };
  }

  /**
   * containerd's {@code platforms.Normalize}: lower-case OS ({@code macos} is {@code darwin}),
   * architecture aliases and default variants resolved, OS features sorted and deduplicated.
   *
   * @return the normalized platform
   */
  public Platform normalize() {
    String[] av = normalizeArch(architecture, variant);
    return new Platform(normalizeOs(os), av[0], av[1], osVersion, List.copyOf(new TreeSet<>(osFeatures)));
  }

  /**
   * Whether this platform (a wanted one) is satisfied by an image's platform when nothing else
   * may stand in for it: containerd's {@code platforms.OnlyStrict(this).Match(image)}. After
   * normalizing both, OS, architecture and variant are equal, and the image's OS features are a
   * subset of this platform's (an entry listing {@code os.features} does not match a wanted
   * platform without them). On Windows, {@code win32k} is ignored and an OS version is compared
   * by its major, minor and build numbers when both name one.
   *
   * @param image the platform of an image manifest
   * @return whether it matches
   */
  public boolean matchesStrictly(Platform image) {
    Platform want = normalize();
    Platform got = image.normalize();
    if (!want.os.equals(got.os) || !want.architecture.equals(got.architecture) || !want.variant.equals(got.variant)) {
      return false;
    }
    List<String> features = got.osFeatures;
    if (want.os.equals("windows")) {
      features = features.stream().filter(f -> !f.equals("win32k")).toList();
      if (!windowsBuild(want.osVersion).isEmpty() && !image.osVersion.isEmpty()
          && !windowsBuild(want.osVersion).equals(windowsBuild(image.osVersion))) {
        return false;
      }
    }
    return want.osFeatures.containsAll(features);
  }

  /**
   * Whether this platform (a wanted one) is satisfied by an image's platform, leniently: same os
   * and architecture, and same variant when both name one.
   *
   * @param image the platform of an image manifest
   * @return whether it matches
   */
  public boolean matches(Platform image) {
    return os.equals(image.os) && architecture.equals(image.architecture)
        && (variant.isEmpty() || image.variant.isEmpty() || variant.equals(image.variant));
  }

  /** {@return {@code os/arch[/variant]}, as containerd's {@code platforms.Format}} */
  @Override
  public String toString() {
    return os + "/" + architecture + (variant.isEmpty() ? "" : "/" + variant);
  }

  private static String windowsBuild(String version) {
    String[] p = version.split("\\.");
    return p.length < 3 ? "" : p[0] + "." + p[1] + "." + p[2];
  }

  private static String normalizeOs(String os) {
    String lower = os.toLowerCase(Locale.ROOT);
    return lower.equals("macos") ? "darwin" : lower;
  }

  private static String decodeOption(String value, String text) {
    if (!value.contains("%")) {
      return value;
    }
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '%') {
        if (i + 2 >= value.length() || Character.digit(value.charAt(i + 1), 16) < 0
            || Character.digit(value.charAt(i + 2), 16) < 0) {
          throw new IllegalArgumentException("invalid platform '" + text + "': bad escape in '" + value + "'");
        }
        bytes.write(Integer.parseInt(value.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        bytes.write(c);
      }
    }
    return bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** containerd's {@code normalizeArch}: {architecture, variant}. */
  private static String[] normalizeArch(String arch, String variant) {
    String a = arch.toLowerCase(Locale.ROOT);
    String v = variant.toLowerCase(Locale.ROOT);
    switch (a) {
      case "i386" -> {
        a = "386";
        v = "";
      }
      case "x86_64", "x86-64", "amd64" -> {
        a = "amd64";
        if (v.equals("v1")) {
          v = "";
        }
      }
      case "aarch64", "arm64" -> {
        a = "arm64";
        switch (v) {
          case "8", "v8", "v8.0" -> v = "";
          case "9", "9.0", "v9.0" -> v = "v9";
          default -> { }
        }
      }
      case "armhf" -> {
        a = "arm";
        v = "v7";
      }
      case "armel" -> {
        a = "arm";
        v = "v6";
      }
      case "arm" -> {
        switch (v) {
          case "", "7" -> v = "v7";
          case "5", "6", "8" -> v = "v" + v;
          default -> { }
        }
      }
      default -> { }
    }
    return new String[] {a, v};
  }
}
