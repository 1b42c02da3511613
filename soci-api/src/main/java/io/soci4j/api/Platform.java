package io.soci4j.api;

import java.util.Locale;
import java.util.Objects;

/**
 * An image platform: operating system, architecture and optional variant, as in OCI image
 * indexes ({@code linux/amd64}, {@code linux/arm64/v8}).
 *
 * @param os operating system, e.g. {@code linux}
 * @param architecture CPU architecture in Go's names, e.g. {@code amd64}, {@code arm64}
 * @param variant CPU variant, e.g. {@code v8}; empty when none
 */
public record Platform(String os, String architecture, String variant) {

  /**
   * Validates the parts.
   *
   * @param os see the record component
   * @param architecture see the record component
   * @param variant see the record component
   */
  public Platform {
    Objects.requireNonNull(os, "os");
    Objects.requireNonNull(architecture, "architecture");
    variant = variant == null ? "" : variant;
    if (os.isEmpty() || architecture.isEmpty()) {
      throw new IllegalArgumentException("platform needs an os and an architecture, got '" + os + "/"
          + architecture + "'");
    }
  }

  /**
   * Parses {@code os/arch[/variant]}.
   *
   * @param text the platform text
   * @return the platform
   * @throws IllegalArgumentException when it is not of that form
   */
  public static Platform parse(String text) {
    String[] p = text.split("/", -1);
    if (p.length < 2 || p.length > 3) {
      throw new IllegalArgumentException("invalid platform '" + text + "': want os/arch[/variant]");
    }
    return new Platform(p[0], p[1], p.length == 3 ? p[2] : "");
  }

  /** {@return the platform of the running JVM, with Go's architecture names} */
  public static Platform current() {
    String os = System.getProperty("os.name", "linux").toLowerCase(Locale.ROOT);
    String goOs = os.startsWith("windows") ? "windows" : os.startsWith("mac") ? "darwin" : "linux";
    String arch = System.getProperty("os.arch", "amd64").toLowerCase(Locale.ROOT);
    return switch (arch) {
      case "x86_64", "amd64" -> new Platform(goOs, "amd64", "");
      case "aarch64", "arm64" -> new Platform(goOs, "arm64", "v8");
      case "x86", "i386", "i686" -> new Platform(goOs, "386", "");
      case "ppc64le", "s390x", "riscv64" -> new Platform(goOs, arch, "");
      default -> new Platform(goOs, arch, "");
    };
  }

  /**
   * Whether this platform (a wanted one) is satisfied by an image's platform: same os and
   * architecture, and same variant when this one names a variant.
   *
   * @param image the platform of an image manifest
   * @return whether it matches
   */
  public boolean matches(Platform image) {
    return os.equals(image.os) && architecture.equals(image.architecture)
        && (variant.isEmpty() || image.variant.isEmpty() || variant.equals(image.variant));
  }

  /** {@return {@code os/arch[/variant]}} */
  @Override
  public String toString() {
    return os + "/" + architecture + (variant.isEmpty() ? "" : "/" + variant);
  }
}
