package io.soci4j.ztoc.internal.tar;

import static io.soci4j.ztoc.internal.tar.TarBuilder.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.soci4j.api.LayerFormatException;
import io.soci4j.ztoc.Compression;
import io.soci4j.ztoc.ZtocBuilder;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Sizes near 2^63 (base-256 size fields and PAX {@code size} records) in a 1 KiB layer: the
 * parser refuses them at once with a typed error naming the entry, never spins (the bound that
 * the old parser missed: data plus padding past {@code Long.MAX_VALUE}), and never takes a
 * truncated member for a complete one (2^63-512, whose end offset used to wrap).
 */
class TarTocParserExtremeSizeTest {
  static Stream<Long> sizes() {
    return Stream.concat(LongStream.rangeClosed(Long.MAX_VALUE - 512, Long.MAX_VALUE).boxed()
        .filter(s -> s % 64 == 0 || s > Long.MAX_VALUE - 4 || s == Long.MAX_VALUE - 511),
        Stream.of(Long.MAX_VALUE / 2, 1L << 62, (1L << 40) + 1));
  }

  static byte[] base256(long size) {
    return new TarBuilder().add(header("huge", '0', 0).base256(124, 12, size)).data(new byte[100]).end().bytes();
  }

  static byte[] pax(long size) {
    return new TarBuilder().pax(TarBuilder.paxRecord("size", Long.toString(size))).add(header("huge", '0', 0))
        .data(new byte[100]).end().bytes();
  }

  @ParameterizedTest(name = "base-256 size {0}")
  @MethodSource("sizes")
  void base256SizesFailFastWithATypedError(long size) {
    refused(base256(size), size);
  }

  @ParameterizedTest(name = "PAX size {0}")
  @MethodSource("sizes")
  void paxSizesFailFastWithATypedError(long size) {
    refused(pax(size), size);
  }

  private static void refused(byte[] tar, long size) {
    LayerFormatException e = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> ParseResult.of(tar).error());
    assertThat(e.entryName()).isEqualTo("huge");
    assertThat(e.getMessage()).satisfiesAnyOf(
        m -> assertThat(m).contains("past the largest offset"),
        m -> assertThat(m).contains("truncated inside member data"));
    // the zTOC builder (what ztoc build, create, convert and the whole-layer reader run) too
    assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatThrownBy(() -> ZtocBuilder.create()
        .withCompression(Compression.UNCOMPRESSED).build(new ByteArrayInputStream(tar)))
        .isInstanceOf(LayerFormatException.class));
  }

  @ParameterizedTest(name = "PAX size {0}")
  @MethodSource("badPaxSizes")
  void negativeAndOverflowingPaxSizesAreRefused(String size) {
    byte[] tar = new TarBuilder().pax(TarBuilder.paxRecord("size", size)).add(header("huge", '0', 0)).end().bytes();
    LayerFormatException e = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> ParseResult.of(tar).error());
    assertThat(e.getMessage()).isNotEmpty();
  }

  static Stream<String> badPaxSizes() {
    return Stream.of("-1", "-9223372036854775808", "9223372036854775808", "99999999999999999999", "0x10");
  }
}
