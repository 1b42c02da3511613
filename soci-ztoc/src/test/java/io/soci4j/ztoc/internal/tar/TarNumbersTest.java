package io.soci4j.ztoc.internal.tar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Tar numeric fields and Go's ParseInt, including the edges Go's tests pin. */
class TarNumbersTest {

  private static long octal(String field) {
    byte[] b = field.getBytes(StandardCharsets.ISO_8859_1);
    return TarNumbers.parseNumeric(b, 0, b.length);
  }

  private static long decimal(String s) {
    return TarNumbers.parseDecimal(s.getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void octalIgnoresSurroundingSpacesAndNulsAndStopsAtInnerNul() {
    assertThat(octal("0000644\0")).isEqualTo(0644);
    assertThat(octal("  644  ")).isEqualTo(0644);
    assertThat(octal("\0\0\0\0")).isZero();
    assertThat(octal("12\0" + "99")).isEqualTo(012);
    assertThat(octal("777777777777777777777\0")).isEqualTo(0777777777777777777777L);
  }

  @ParameterizedTest
  @ValueSource(strings = {"12 34", "8", "0x10", "-1", "+1", "17777777777777777777777"})
  void malformedOctalIsRejected(String field) {
    assertThatThrownBy(() -> octal(field)).isInstanceOf(NumberFormatException.class);
  }

  @Test
  void octalAboveInt64ReinterpretsAsGoDoes() {
    assertThat(octal("1777777777777777777777")).isEqualTo(-1L);
  }

  @Test
  void base256IsTwosComplementWithTheMarkerBitIgnored() {
    assertThat(TarNumbers.parseNumeric(new byte[] {(byte) 0x80, 0, 0, 1, 0}, 0, 5)).isEqualTo(256);
    assertThat(TarNumbers.parseNumeric(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFE}, 0, 3)).isEqualTo(-2);
    byte[] max = {(byte) 0x80, 0, 0, 0, 0x7F, -1, -1, -1, -1, -1, -1, -1};
    assertThat(TarNumbers.parseNumeric(max, 0, 12)).isEqualTo(Long.MAX_VALUE);
    byte[] min = {(byte) 0xFF, -1, -1, -1, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0};
    assertThat(TarNumbers.parseNumeric(min, 0, 12)).isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void base256BeyondSixtyThreeBitsOverflows() {
    byte[] tooBig = {(byte) 0x80, 0, 0, 0, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0};
    byte[] tooWide = {(byte) 0x80, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};

    assertThatThrownBy(() -> TarNumbers.parseNumeric(tooBig, 0, 12)).hasMessageContaining("overflow");
    assertThatThrownBy(() -> TarNumbers.parseNumeric(tooWide, 0, 12)).hasMessageContaining("overflow");
  }

  @ParameterizedTest
  @CsvSource({"0,0", "+7,7", "-7,-7", "007,7", "9223372036854775807,9223372036854775807",
      "-9223372036854775808,-9223372036854775808"})
  void decimalAcceptsWhatGoParseIntAccepts(String text, long value) {
    assertThat(decimal(text)).isEqualTo(value);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "+", "-", " 1", "1 ", "1_000", "0x10", "9223372036854775808",
      "-9223372036854775809", "18446744073709551616", "99999999999999999999999"})
  void decimalRejectsWhatGoParseIntRejects(String text) {
    assertThatThrownBy(() -> decimal(text)).isInstanceOf(NumberFormatException.class);
  }
}
