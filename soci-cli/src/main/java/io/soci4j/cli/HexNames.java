package io.soci4j.cli;

import io.soci4j.ztoc.TocEntry;
import java.util.HexFormat;

/** Names given as hex bytes on the command line ({@code --name-hex}), for names that are not UTF-8. */
final class HexNames {
  private HexNames() {}

  /**
   * @param hex the name's bytes in hex
   * @return the name as TOCs hold it ({@link TocEntry#nameOf})
   * @throws IllegalArgumentException when it is not hex
   */
  static String decode(String hex) {
    try {
      return TocEntry.nameOf(HexFormat.of().parseHex(hex));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--name-hex: '" + SociCli.escape(hex, 200)
          + "' is not an even number of hex digits");
    }
  }
}
