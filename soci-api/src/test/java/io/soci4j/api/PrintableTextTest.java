package io.soci4j.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrintableTextTest {
  @Test
  void escapesControlsAndBytesThatAreNotUtf8() {
    assertThat(PrintableText.of("a\nb\tc\u001b[31m\u0007\u007f\u0085", 100))
        .isEqualTo("a\\nb\\tc\\x1b[31m\\x07\\x7f\\x85");
    assertThat(PrintableText.of("caf\u00e9 \udcff\udc80 \ud83d\ude00", 100)).isEqualTo("caf\u00e9 \\xff\\x80 \ud83d\ude00");
  }

  @Test
  void cutsLongText() {
    assertThat(PrintableText.of("x".repeat(50), 10)).isEqualTo("x".repeat(10) + "...");
    assertThat(PrintableText.of("x".repeat(10), 10)).isEqualTo("x".repeat(10));
  }
}
