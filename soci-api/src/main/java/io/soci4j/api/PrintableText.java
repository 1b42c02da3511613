package io.soci4j.api;

import java.util.Locale;

/**
 * Text from a layer or a server made safe to print on a terminal or in a log line. Entry names
 * and error bodies are chosen by whoever made the image or runs the server: a newline, ESC or BEL
 * in them could forge log lines or drive the terminal. Control characters (C0, DEL, C1) become
 * {@code \n}, {@code \t} or {@code \xNN}; a lone surrogate {@code U+DC00 + b}, which is how a
 * name byte {@code b} that is not UTF-8 is kept, becomes {@code \xNN}; text beyond a length is
 * cut and ends in {@code ...}.
 */
public final class PrintableText {
  private PrintableText() {}

  /**
   * Escapes and cuts.
   *
   * @param text the text
   * @param max characters kept before the rest is cut (escapes count by their length)
   * @return the printable text
   */
  public static String of(String text, int max) {
    StringBuilder sb = new StringBuilder(Math.min(text.length(), max + 16));
    int i = 0;
    for (; i < text.length() && sb.length() < max; i++) {
      char c = text.charAt(i);
      if (c >= 0xDC80 && c <= 0xDCFF && (i == 0 || !Character.isHighSurrogate(text.charAt(i - 1)))) {
        sb.append(String.format(Locale.ROOT, "\\x%02x", c - 0xDC00));
      } else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
        sb.append(c == '\n' ? "\\n" : c == '\t' ? "\\t" : String.format(Locale.ROOT, "\\x%02x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return i < text.length() ? sb + "..." : sb.toString();
  }
}
