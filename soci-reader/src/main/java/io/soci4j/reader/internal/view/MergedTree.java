package io.soci4j.reader.internal.view;

import io.soci4j.reader.RejectedEntry;
import java.util.List;

/**
 * The merged file system of an image: the root directory and the entries left out.
 *
 * @param root the root directory
 * @param rejected entries not applied, in layer and tar order
 */
public record MergedTree(Node root, List<RejectedEntry> rejected) {
  /**
   * Copies the list.
   *
   * @param root see the record component
   * @param rejected see the record component
   */
  public MergedTree {
    rejected = List.copyOf(rejected);
  }
}
