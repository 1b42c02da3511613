package io.soci4j.fuse.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads {@code /proc/self/mountinfo}: whether a FUSE file system is mounted at a path. */
public final class MountTable {
  private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

  private MountTable() {}

  /**
   * @param mountPoint an absolute, real path
   * @return whether a FUSE file system is mounted there
   */
  public static boolean fuseMountedAt(Path mountPoint) {
    String want = escape(mountPoint.toString());
    try {
      for (String line : Files.readAllLines(MOUNTINFO)) {
        // id parent major:minor root mountpoint options ... - fstype source superoptions
        String[] f = line.split(" ");
        int dash = line.indexOf(" - ");
        if (f.length > 4 && f[4].equals(want) && dash > 0 && line.substring(dash + 3).startsWith("fuse")) {
          return true;
        }
      }
    } catch (IOException e) {
      return false;
    }
    return false;
  }

  /** mountinfo's octal escapes of space, tab, newline and backslash. */
  private static String escape(String path) {
    return path.replace("\\", "\\134").replace(" ", "\\040").replace("\t", "\\011").replace("\n", "\\012");
  }
}
