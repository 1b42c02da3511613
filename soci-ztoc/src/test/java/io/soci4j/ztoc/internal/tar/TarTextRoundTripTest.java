package io.soci4j.ztoc.internal.tar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TarTextRoundTripTest {

  @Test
  void randomBytesSurviveDecodeThenEncode() {
    Random random = new Random(20240521);
    for (int round = 0; round < 20_000; round++) {
      byte[] b = new byte[random.nextInt(40)];
      random.nextBytes(b);
      if (round % 3 == 0) {
        for (int i = 0; i < b.length; i++) {
          b[i] = (byte) (0x80 | b[i]); // mostly lead and continuation bytes: many near-valid sequences
        }
      }
      String s = TarText.decode(b, 0, b.length);
      assertThat(TarText.encode(s)).as("bytes %s", HexFormat.of().formatHex(b)).isEqualTo(b);
    }
  }

  @Test
  void validUtf8DecodesAsTheJdkDoes() {
    Random random = new Random(7);
    for (int round = 0; round < 5_000; round++) {
      StringBuilder sb = new StringBuilder();
      for (int i = random.nextInt(12); i > 0; i--) {
        int cp;
        do {
          cp = random.nextInt(4) == 0 ? random.nextInt(0x80) : random.nextInt(0x110000);
        } while (cp >= 0xD800 && cp <= 0xDFFF);
        sb.appendCodePoint(cp);
      }
      String text = sb.toString();
      byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
      assertThat(TarText.decode(utf8, 0, utf8.length)).isEqualTo(text);
      assertThat(TarText.encode(text)).isEqualTo(utf8);
    }
  }

  @Test
  void eachInvalidByteBecomesItsOwnEscapeChar() {
    byte[] latin1 = "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1); // 63 61 66 e9
    assertThat(TarText.decode(latin1, 0, latin1.length)).isEqualTo("caf\udce9");

    byte[] truncated = {(byte) 0xE2, (byte) 0x82, 'A'}; // start of a 3-byte sequence, then ASCII
    assertThat(TarText.decode(truncated, 0, 3)).isEqualTo("\udce2\udc82A");

    byte[] overlong = {(byte) 0xC0, (byte) 0xAF}; // overlong '/'
    assertThat(TarText.decode(overlong, 0, 2)).isEqualTo("\udcc0\udcaf");

    byte[] surrogate = {(byte) 0xED, (byte) 0xA0, (byte) 0x80}; // UTF-8 of U+D800 is not valid
    assertThat(TarText.decode(surrogate, 0, 3)).isEqualTo("\udced\udca0\udc80");

    byte[] beyondUnicode = {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80};
    assertThat(TarText.decode(beyondUnicode, 0, 4)).isEqualTo("\udcf4\udc90\udc80\udc80");
  }

  @Test
  void decodesOnlyTheRequestedRange() {
    byte[] b = "xx\u00e9t\u00e9yy".getBytes(StandardCharsets.UTF_8);
    assertThat(TarText.decode(b, 2, b.length - 4)).isEqualTo("\u00e9t\u00e9");
    assertThat(TarText.decode(b, 1, 0)).isEmpty();
  }

  @Test
  void asciiDecodesToTheSameText() {
    byte[] b = "dir/file.txt".getBytes(StandardCharsets.US_ASCII);
    assertThat(TarText.decode(b, 0, b.length)).isEqualTo("dir/file.txt");
    assertThat(TarText.encode("dir/file.txt")).isEqualTo(b);
  }

  @Test
  void escapeCharAfterASurrogatePairStaysARawByte() {
    String s = "\ud83d\ude00\udcff"; // U+1F600 then the escape of byte 0xFF
    assertThat(TarText.encode(s)).isEqualTo(new byte[] {
        (byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80, (byte) 0xFF});
  }

  @Test
  void encodeRefusesLoneSurrogatesThatStandForNoByte() {
    assertThatThrownBy(() -> TarText.encode("a\ud800b"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("U+D800");
    assertThatThrownBy(() -> TarText.encode("\udc7f"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("U+DC7F");
  }
}
