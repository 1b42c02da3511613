package io.soci4j.reader;

import java.util.List;
import java.util.Objects;

/**
 * What {@link SociImage#extractTo(java.nio.file.Path, ExtractOptions)} wrote.
 *
 * @param files regular files written (a hard-linked file once)
 * @param directories directories created, the target's root included
 * @param symlinks symbolic links created
 * @param hardLinks extra names of hard-linked files
 * @param specialFiles devices and FIFOs, which are not created
 * @param skipped the unsafe entries left out (empty unless {@link ExtractOptions#skipUnsafeEntries()})
 */
public record ExtractReport(long files, long directories, long symlinks, long hardLinks, long specialFiles,
    List<RejectedEntry> skipped) {

  /**
   * Validates and copies.
   *
   * @param files see the record component
   * @param directories see the record component
   * @param symlinks see the record component
   * @param hardLinks see the record component
   * @param specialFiles see the record component
   * @param skipped see the record component
   */
  public ExtractReport {
    skipped = List.copyOf(Objects.requireNonNull(skipped, "skipped"));
  }
}
