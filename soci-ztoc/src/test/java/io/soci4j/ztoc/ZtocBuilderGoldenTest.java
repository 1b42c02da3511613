package io.soci4j.ztoc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.soci4j.api.Digest;
import io.soci4j.api.UnsupportedLayerException;
import io.soci4j.ztoc.testing.GoldenVectors;
import io.soci4j.ztoc.testing.GoldenVectors.Vector;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The builder reproduces every upstream golden zTOC byte for byte, and refuses what upstream refuses. */
class ZtocBuilderGoldenTest {

  static Stream<Vector> buildable() {
    return GoldenVectors.buildable().stream();
  }

  static Stream<Vector> refused() {
    return GoldenVectors.refused().stream();
  }

  @ParameterizedTest
  @MethodSource("buildable")
  void buildsTheUpstreamZtocByteForByte(Vector v) throws Exception {
    ZtocBuilder builder = ZtocBuilder.create().withSpanSize(v.spanSize())
        .withBuildToolIdentifier(GoldenVectors.TOOL)
        .withCompression(v.algorithm().equals("gzip") ? Compression.GZIP : Compression.UNCOMPRESSED);
    Ztoc built = builder.build(new ByteArrayInputStream(v.layerBytes()));
    byte[] bytes = ZtocCodec.serialize(built);

    assertThat(Digest.sha256(bytes).toString()).isEqualTo(v.expected().get("ztoc_digest").asText());
    assertThat(bytes).isEqualTo(v.ztocBytes());
  }

  @ParameterizedTest
  @MethodSource("buildable")
  void detectsTheCompressionItself(Vector v) throws Exception {
    Ztoc built = ZtocBuilder.create().withSpanSize(v.spanSize()).withBuildToolIdentifier(GoldenVectors.TOOL)
        .build(new ByteArrayInputStream(v.layerBytes()));
    assertThat(ZtocCodec.serialize(built)).isEqualTo(v.ztocBytes());
  }

  @ParameterizedTest
  @MethodSource("refused")
  void refusesWhatUpstreamRefusesNamingTheEntry(Vector v) throws Exception {
    String upstream = Files.readString(v.err()).trim();
    char flag = upstream.charAt(upstream.length() - 2); // "... unsupported input tar entry 'S'"
    assertThatThrownBy(() -> ZtocBuilder.create().withSpanSize(v.spanSize())
        .build(new ByteArrayInputStream(v.layerBytes())))
        .isInstanceOf(UnsupportedLayerException.class)
        .hasMessageContaining("'" + flag + "'")
        .satisfies(e -> assertThat(((UnsupportedLayerException) e).entryName()).isNotBlank());
  }
}
