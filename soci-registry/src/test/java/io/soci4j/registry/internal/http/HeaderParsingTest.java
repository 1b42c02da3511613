package io.soci4j.registry.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import okio.Buffer;
import org.junit.jupiter.api.Test;

/** Content-Range, Link rel=next and multipart/byteranges parsing. */
class HeaderParsingTest {

  @Test
  void parsesContentRange() throws Exception {
    assertThat(ContentRange.parse("bytes 0-99/1000")).isEqualTo(new ContentRange(0, 99, 1000));
    assertThat(ContentRange.parse("Bytes 5-5/*")).isEqualTo(new ContentRange(5, 5, -1));
    for (String bad : new String[] {"bytes */1000", "bytes 9-5/10", "bytes 0-10/10", "items 0-1/2", "bytes x-1/2"}) {
      assertThatThrownBy(() -> ContentRange.parse(bad)).as(bad).isInstanceOf(ProtocolException.class);
    }
    assertThatThrownBy(() -> ContentRange.parse(null)).hasMessageContaining("without Content-Range");
  }

  @Test
  void findsTheNextLink() {
    assertThat(LinkHeader.next(List.of("</v2/a/referrers/sha256:x?n=2&last=b>; rel=\"next\"")))
        .isEqualTo("/v2/a/referrers/sha256:x?n=2&last=b");
    assertThat(LinkHeader.next(List.of("<https://r/prev>; rel=\"prev\", <https://r/next>; rel=next")))
        .isEqualTo("https://r/next");
    assertThat(LinkHeader.next(List.of("<https://r/a>; rel=\"prev\""))).isNull();
    assertThat(LinkHeader.next(List.of())).isNull();
  }

  @Test
  void extractsARangeFromMultipartByteranges() throws Exception {
    String body = "preamble\r\n--B\r\nContent-Type: application/octet-stream\r\nContent-Range: bytes 0-3/100\r\n\r\n"
        + "abcd\r\n--B\r\nContent-Range: bytes 10-19/100\r\n\r\n0123456789\r\n--B--\r\n";
    ByteBuffer dst = ByteBuffer.allocate(4);
    MultipartByteRanges.read(new Buffer().writeString(body, StandardCharsets.US_ASCII), "B", 12, dst);
    assertThat(new String(dst.array(), StandardCharsets.US_ASCII)).isEqualTo("2345");
    assertThatThrownBy(() -> MultipartByteRanges.read(new Buffer().writeString(body, StandardCharsets.US_ASCII), "B",
        50, ByteBuffer.allocate(2))).hasMessageContaining("no part");
  }
}
