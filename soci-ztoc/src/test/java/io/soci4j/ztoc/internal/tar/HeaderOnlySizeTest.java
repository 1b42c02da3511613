package io.soci4j.ztoc.internal.tar;

import static io.soci4j.ztoc.internal.tar.TarBuilder.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.soci4j.api.LayerFormatException;
import io.soci4j.ztoc.Compression;
import io.soci4j.ztoc.EntryType;
import io.soci4j.ztoc.LayerReader;
import io.soci4j.api.ByteSource;
import io.soci4j.ztoc.TocEntry;
import io.soci4j.ztoc.Ztoc;
import io.soci4j.ztoc.ZtocBuilder;
import io.soci4j.ztoc.ZtocCodec;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Links, directories, devices and FIFOs have no data whatever their size field says (Go's tar
 * reader, and so upstream, skip none and keep the size): a zTOC built from such a layer keeps the
 * size as written and parses again, and the members after them are found where they are. Found by
 * TarParserFuzzTest: a symlink whose size ran past the end made a zTOC our own parser refused.
 */
class HeaderOnlySizeTest {
  @Test
  void sizeFieldsOfMembersWithoutDataAreKeptAndCoverNoBytes() throws Exception {
    byte[] tar = new TarBuilder()
        .add(header("dir/", '5', 600))
        .add(header("dir/link", '2', 4000).text(157, 100, "target"))
        .add(header("dir/file", '0', 5)).data("hello".getBytes(StandardCharsets.UTF_8))
        .add(header("dir/fifo", '6', 0).base256(124, 12, 1L << 40))
        .end().bytes();
    Ztoc ztoc = ZtocBuilder.create().withCompression(Compression.UNCOMPRESSED).build(new ByteArrayInputStream(tar));
    assertThat(ztoc.toc()).extracting(TocEntry::type, TocEntry::uncompressedSize).containsExactly(
        org.assertj.core.groups.Tuple.tuple(EntryType.DIRECTORY, 600L),
        org.assertj.core.groups.Tuple.tuple(EntryType.SYMLINK, 4000L),
        org.assertj.core.groups.Tuple.tuple(EntryType.REGULAR, 5L),
        org.assertj.core.groups.Tuple.tuple(EntryType.FIFO, 1L << 40));
    assertThat(ztoc.toc().get(2).uncompressedOffset()).isEqualTo(3 * 512);
    TocEntry link = ztoc.toc().get(1);
    assertThat(link.dataSize()).isZero();
    assertThat(link.uncompressedEnd()).isEqualTo(link.uncompressedOffset());
    assertThat(ztoc.toc().get(2).dataSize()).isEqualTo(5);

    Ztoc parsed = ZtocCodec.parse(ZtocCodec.serialize(ztoc));
    assertThat(parsed).isEqualTo(ztoc);
    byte[] file = LayerReader.of(parsed, ByteSource.of(tar)).readFile("dir/file");
    assertThat(new String(file, StandardCharsets.UTF_8)).isEqualTo("hello");
  }

  @Test
  void aNegativeSizeIsRefusedForEveryType() {
    byte[] tar = new TarBuilder().add(header("link", '2', 0).base256(124, 12, -1)).end().bytes();
    assertThatThrownBy(() -> ZtocBuilder.create().withCompression(Compression.UNCOMPRESSED)
        .build(new ByteArrayInputStream(tar)))
        .isInstanceOf(LayerFormatException.class).hasMessageContaining("negative size -1");
  }
}
