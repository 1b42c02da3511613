package io.soci4j.ztoc;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.soci4j.ztoc.testing.ReferenceTar;
import io.soci4j.ztoc.testing.TestLayers;
import io.soci4j.ztoc.testing.TestLayers.Kind;
import io.soci4j.ztoc.testing.TestLayers.Layer;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The test-layer generator the other tests rely on: the same seed gives the same bytes, another
 * seed other bytes; every member reads back through commons-compress; each gzip member is a
 * complete gzip stream of exactly its slice of the tar.
 */
@Timeout(value = 30, unit = SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TestLayersGeneratorTest {

  @Test
  void sameSeedGivesTheSameBytesAndAnotherSeedOthers() {
    Layer a = TestLayers.mixed(42, TestLayers.Size.SMALL);
    assertThat(TestLayers.mixed(42, TestLayers.Size.SMALL).tar()).isEqualTo(a.tar());
    assertThat(TestLayers.gzipMembers(a.tar(), 6, 1000, 90_000)).isEqualTo(TestLayers.gzipMembers(a.tar(), 6, 1000, 90_000));
    assertThat(TestLayers.mixed(43, TestLayers.Size.SMALL).tar()).isNotEqualTo(a.tar());
  }

  @Test
  void everyFileReadsBackThroughCommonsCompress() {
    Layer layer = TestLayers.mixed(42, TestLayers.Size.SMALL);
    ReferenceTar ref = ReferenceTar.of(layer.tar());
    for (TestLayers.Member m : layer.members()) {
      if (m.kind() == Kind.FILE) {
        assertThat(ref.files().get(m.name())).as(m.name()).isEqualTo(m.data());
        assertThat(Arrays.copyOfRange(layer.tar(), (int) m.dataOffset(), (int) m.dataOffset() + m.data().length))
            .as("data of %s at its recorded offset", m.name()).isEqualTo(m.data());
      }
    }
    assertThat(layer.members()).extracting(TestLayers.Member::kind).contains(Kind.values());
    assertThat(layer.tar().length % TestLayers.GNU_RECORD).isZero();
  }

  @Test
  void eachGzipMemberIsACompleteStreamOfItsSlice() throws Exception {
    byte[] tar = TestLayers.mixed(42, TestLayers.Size.SMALL).tar();
    long[] splits = {1, 512, 100_000, 100_001, tar.length - 1};
    byte[] gz = TestLayers.gzipMembers(tar, 9, splits);
    long[] starts = TestLayers.memberStarts(tar, 9, splits);
    long[] bounds = new long[splits.length + 2];
    System.arraycopy(splits, 0, bounds, 1, splits.length);
    bounds[bounds.length - 1] = tar.length;
    for (int i = 0; i < starts.length; i++) {
      int end = i + 1 < starts.length ? (int) starts[i + 1] : gz.length;
      byte[] member = Arrays.copyOfRange(gz, (int) starts[i], end);
      try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(member))) {
        assertThat(in.readAllBytes()).as("member %d", i)
            .isEqualTo(Arrays.copyOfRange(tar, (int) bounds[i], (int) bounds[i + 1]));
      }
    }
    assertThat(ReferenceTar.of(gz).stream()).isEqualTo(tar);
    assertThatThrownBy(() -> TestLayers.gzipMembers(tar, 6, 10, 10)).isInstanceOf(IllegalArgumentException.class);
  }
}
