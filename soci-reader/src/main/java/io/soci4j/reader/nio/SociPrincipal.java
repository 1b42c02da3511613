package io.soci4j.reader.nio;

import java.nio.file.attribute.GroupPrincipal;

/** An owner or group name from a tar header (or its numeric id when the name is empty). */
record SociPrincipal(String name, boolean isGroup) implements GroupPrincipal {
  @Override
  public String getName() {
    return name;
  }

  @Override
  public String toString() {
    return name;
  }
}
