package io.soci4j.ztoc.internal.tar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** PAX time parsing (Go's parsePAXTime) and upstream's text (Go's Time.MarshalText in UTC). */
class GoTimeTest {

  private static String pax(String s) {
    return GoTime.parsePax(s.getBytes(StandardCharsets.US_ASCII)).marshalText();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "0, 1970-01-01T00:00:00Z",
      "1704164645, 2024-01-02T03:04:05Z",
      "1704164645.5, 2024-01-02T03:04:05.5Z",
      "1704164645.500000000, 2024-01-02T03:04:05.5Z",
      "1704164645.000000001, 2024-01-02T03:04:05.000000001Z",
      "1704164645.1234567899, 2024-01-02T03:04:05.123456789Z",
      "1704164645.0, 2024-01-02T03:04:05Z",
      "1704164645., 2024-01-02T03:04:05Z",
      "+10, 1970-01-01T00:00:10Z",
      "-1, 1969-12-31T23:59:59Z",
      "-1.25, 1969-12-31T23:59:58.75Z",
      "-0.5, 1969-12-31T23:59:59.5Z",
      "-62167219200, 0000-01-01T00:00:00Z",
      "253402300799.999999999, 9999-12-31T23:59:59.999999999Z"})
  void paxTimesFormatAsUpstreamStoresThem(String record, String text) {
    assertThat(pax(record)).isEqualTo(text);
  }

  /** Go's MarshalText fails outside years 0..9999; upstream ignores the error and stores "". */
  @ParameterizedTest
  @ValueSource(strings = {"-62167219201", "-62167219200.5", "253402300800", "9223372036854775807",
      "-9223372036854775808.1"})
  void yearsOutsideZeroTo9999AreStoredEmpty(String record) {
    assertThat(pax(record)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ".5", "1.5x", "1.-5", "1.2.3", "abc", "1e3", " 1"})
  void malformedPaxTimesAreRejected(String record) {
    assertThatThrownBy(() -> pax(record)).isInstanceOf(NumberFormatException.class);
  }

  @Test
  void unixCarriesNanosecondsIntoSecondsLikeGo() {
    assertThat(GoTime.unix(5, -1)).isEqualTo(new GoTime(4, 999_999_999));
    assertThat(GoTime.unix(5, 2_500_000_000L)).isEqualTo(new GoTime(7, 500_000_000));
  }
}
