package io.soci4j.ztoc.internal.tar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Lossless text for tar bytes: UTF-8 where valid, one escape char per invalid byte. */
class TarTextTest {

  @Test
  void asciiAndValidUtf8DecodeAsUsual() {
    String s = "plain/caf\u00e9/\u65e5\u672c/emoji-\uD83D\uDE00";
    byte[] b = s.getBytes(StandardCharsets.UTF_8);

    assertThat(TarText.decode(b, 0, b.length)).isEqualTo(s);
    assertThat(TarText.encode(s)).isEqualTo(b);
  }

  @Test
  void decodeHonoursOffsetAndLength() {
    byte[] b = "xxabcyy".getBytes(StandardCharsets.US_ASCII);

    assertThat(TarText.decode(b, 2, 3)).isEqualTo("abc");
  }

  /** Each byte outside a valid sequence is escaped on its own, as Python's surrogateescape does. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "c080", // overlong NUL
      "e08080", // overlong 3-byte
      "eda080", // UTF-16 surrogate U+D800
      "f4908080", // above U+10FFFF
      "f0808080", // overlong 4-byte
      "e282", // truncated
      "80", // lone continuation
      "ff", "f8888080"})
  void invalidSequencesEscapeEveryByte(String hex) {
    byte[] b = java.util.HexFormat.of().parseHex(hex);

    String s = TarText.decode(b, 0, b.length);

    assertThat(s).hasSize(b.length);
    for (int i = 0; i < b.length; i++) {
      assertThat((int) s.charAt(i)).isEqualTo(0xDC00 + (b[i] & 0xFF));
    }
    assertThat(TarText.encode(s)).isEqualTo(b);
  }

  @Test
  void invalidBytesBetweenValidTextKeepTheText() {
    byte[] b = {'a', (byte) 0xE2, (byte) 0x82, 'b', (byte) 0xC3, (byte) 0xA9};

    assertThat(TarText.decode(b, 0, b.length)).isEqualTo("a\uDCE2\uDC82b\u00e9");
  }

  @Test
  void everyByteArrayRoundTrips() {
    Random random = new Random(42);
    for (int i = 0; i < 5000; i++) {
      byte[] b = new byte[random.nextInt(40)];
      random.nextBytes(b);
      if (i % 3 == 0) {
        for (int k = 0; k < b.length; k++) {
          b[k] = (byte) (0x80 | (b[k] & 0x7F) | (k % 4 == 0 ? 0x40 : 0)); // dense multibyte-like data
        }
      }
      assertThat(TarText.encode(TarText.decode(b, 0, b.length))).isEqualTo(b);
    }
  }

  @Test
  void loneSurrogateThatIsNoEscapeCannotBeEncoded() {
    assertThatThrownBy(() -> TarText.encode("a\uD800b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TarText.encode("\uDC10")).isInstanceOf(IllegalArgumentException.class);
  }
}
