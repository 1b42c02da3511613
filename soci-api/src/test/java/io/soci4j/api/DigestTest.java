package io.soci4j.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DigestTest {
  static final String EMPTY_JSON = "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";

  @Test
  void computesSha256OverBytesSlicesAndStreams() throws Exception {
    byte[] json = "{}".getBytes(StandardCharsets.US_ASCII);
    assertThat(Digest.sha256(json).toString()).isEqualTo(EMPTY_JSON);
    assertThat(Digest.sha256(new byte[] {'x', '{', '}', 'y'}, 1, 2).toString()).isEqualTo(EMPTY_JSON);
    assertThat(Digest.sha256(new ByteArrayInputStream(json)).toString()).isEqualTo(EMPTY_JSON);
    var md = Digest.newSha256();
    md.update(json);
    assertThat(Digest.of(md)).isEqualTo(Digest.parse(EMPTY_JSON));
  }

  @Test
  void parseRoundTripsAndComparesByValue() {
    Digest d = Digest.parse(EMPTY_JSON);
    assertThat(d.algorithm()).isEqualTo("sha256");
    assertThat(d.toString()).isEqualTo(EMPTY_JSON);
    assertThat(d).isEqualTo(Digest.parse(EMPTY_JSON)).hasSameHashCodeAs(Digest.parse(EMPTY_JSON));
  }

  @Test
  void rejectsMalformedDigestsNamingTheProblem() {
    assertThatThrownBy(() -> Digest.parse("44136fa3")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sha256:<64 hex>");
    assertThatThrownBy(() -> Digest.parse("sha512:" + "a".repeat(128))).hasMessageContaining("unsupported");
    assertThatThrownBy(() -> Digest.parse("sha256:" + "A".repeat(64))).hasMessageContaining("lowercase");
    assertThatThrownBy(() -> Digest.parse("sha256:" + "a".repeat(63))).hasMessageContaining("64");
    assertThatThrownBy(() -> Digest.parse(null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Digest.of(java.security.MessageDigest.getInstance("SHA-1")))
        .hasMessageContaining("SHA-1");
  }
}
