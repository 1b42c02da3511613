package io.soci4j.cli;

import io.soci4j.api.internal.ShutdownCleanup;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes files through a temporary sibling renamed into place: never a half-written file. */
final class AtomicFiles {
  private AtomicFiles() {}

  /** Writes the content produced by {@code body}. */
  interface Body {
    void write(OutputStream out) throws IOException;
  }

  static void write(Path target, Body body) throws IOException {
    Path abs = target.toAbsolutePath();
    Path tmp = ShutdownCleanup.register(Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".tmp"));
    try {
      try (OutputStream out = Files.newOutputStream(tmp)) {
        body.write(out);
      }
      // a temporary file is created 0600; the result is an ordinary file, as cp or tar write it
      if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
        Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
      }
      try {
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
      ShutdownCleanup.done(tmp);
    }
  }
}
