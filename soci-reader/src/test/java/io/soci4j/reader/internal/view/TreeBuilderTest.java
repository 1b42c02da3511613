package io.soci4j.reader.internal.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.soci4j.api.Digest;
import io.soci4j.reader.PathNotFoundException;
import io.soci4j.reader.SymlinkLoopException;
import io.soci4j.ztoc.EntryType;
import io.soci4j.ztoc.TocEntry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Layer application rules of image-spec layer.md, entry by entry, without any I/O. */
class TreeBuilderTest {
  private static final class Layer {
    final List<TocEntry> entries = new ArrayList<>();

    Layer add(String name, EntryType type, String link) {
      entries.add(TocEntry.builder().name(name).type(type).linkName(link).mode(0644).build());
      return this;
    }

    Layer file(String name) {
      return add(name, EntryType.REGULAR, "");
    }

    Layer dir(String name) {
      return add(name, EntryType.DIRECTORY, "");
    }

    LayerEntries entries(int i) {
      return new LayerEntries(Digest.sha256(("layer" + i).getBytes(StandardCharsets.UTF_8)), entries);
    }
  }

  private static MergedTree build(Layer... layers) {
    List<LayerEntries> l = new ArrayList<>();
    for (int i = 0; i < layers.length; i++) {
      l.add(layers[i].entries(i));
    }
    return TreeBuilder.build(l);
  }

  private static Node at(MergedTree t, String path) throws Exception {
    return new PathResolver(t.root()).resolve(path, false).node();
  }

  private static boolean exists(MergedTree t, String path) {
    try {
      new PathResolver(t.root()).resolve(path, false);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  @Test
  void namesAreNormalisedAndParentsImplied() throws Exception {
    MergedTree t = build(new Layer().file("./a/b/c").file("x//y/").dir("./d/"));
    assertThat(at(t, "/a/b/c").type()).isEqualTo(EntryType.REGULAR);
    assertThat(at(t, "/a/b").type()).isEqualTo(EntryType.DIRECTORY);
    assertThat(at(t, "/a").attributes()).isEqualTo(Node.Attributes.IMPLIED_DIRECTORY);
    assertThat(at(t, "/x/y").type()).isEqualTo(EntryType.REGULAR);
    assertThat(at(t, "/d").type()).isEqualTo(EntryType.DIRECTORY);
  }

  @Test
  void aWhiteoutAppliesToLowerLayersOnlyWhateverItsPositionInTheTar() throws Exception {
    MergedTree t = build(new Layer().file("a/old").file("a/both"),
        new Layer().file("a/both").file("a/.wh.both").file("a/.wh.old").file("a/mine").file("a/.wh.mine"));
    assertThat(exists(t, "/a/old")).isFalse();
    assertThat(exists(t, "/a/both")).as("re-created in the whiting-out layer").isTrue();
    assertThat(exists(t, "/a/mine")).as("same-layer file survives its whiteout").isTrue();
    assertThat(at(t, "/a").children().keySet()).containsExactly("both", "mine");
  }

  @Test
  void anOpaqueMarkerAfterTheEntriesStillKeepsTheLayersOwnEntries() throws Exception {
    MergedTree t = build(new Layer().file("a/b/c/bar").file("a/x"),
        new Layer().dir("a/").dir("a/b/").dir("a/b/c/").file("a/b/c/foo").file("a/.wh..wh..opq"));
    assertThat(exists(t, "/a/x")).isFalse();
    assertThat(exists(t, "/a/b/c/bar")).isFalse();
    assertThat(exists(t, "/a/b/c/foo")).isTrue();
  }

  @Test
  void aFileReplacesADirectoryAndADirectoryReplacesAFile() throws Exception {
    MergedTree t = build(new Layer().file("d/inner").file("f"), new Layer().file("d").dir("f/").file("f/new"));
    assertThat(at(t, "/d").type()).isEqualTo(EntryType.REGULAR);
    assertThat(exists(t, "/d/inner")).isFalse();
    assertThat(at(t, "/f/new").type()).isEqualTo(EntryType.REGULAR);
  }

  @Test
  void aPathBelowALowerLayerSymlinkMakesADirectoryButBelowASameLayerOneIsRejected() throws Exception {
    MergedTree t = build(new Layer().add("lower", EntryType.SYMLINK, "/etc"),
        new Layer().file("lower/x").add("same", EntryType.SYMLINK, "/etc").file("same/y"));
    assertThat(at(t, "/lower").type()).isEqualTo(EntryType.DIRECTORY);
    assertThat(at(t, "/lower/x").type()).isEqualTo(EntryType.REGULAR);
    assertThat(at(t, "/same").type()).isEqualTo(EntryType.SYMLINK);
    assertThat(t.rejected()).extracting(r -> r.name()).containsExactly("same/y");
  }

  @Test
  void hardLinksShareTheirTargetAndBadOnesAreRejected() throws Exception {
    MergedTree t = build(new Layer().file("a").dir("d"),
        new Layer().add("hl", EntryType.HARDLINK, "a").add("hd", EntryType.HARDLINK, "d")
            .add("hm", EntryType.HARDLINK, "missing").add("he", EntryType.HARDLINK, "../a"));
    assertThat(at(t, "/hl")).isSameAs(at(t, "/a"));
    assertThat(t.rejected()).extracting(r -> r.name()).containsExactly("hd", "hm", "he");
  }

  @Test
  void symlinksResolveLikeAChrootAndLoopsAreDetected() throws Exception {
    MergedTree t = build(new Layer().file("etc/passwd").add("up", EntryType.SYMLINK, "../../..")
        .add("abs", EntryType.SYMLINK, "/etc").add("self", EntryType.SYMLINK, "self")
        .add("empty", EntryType.SYMLINK, ""));
    PathResolver r = new PathResolver(t.root());
    assertThat(r.resolve("/up/etc/passwd", true).path()).isEqualTo("/etc/passwd");
    assertThat(r.resolve("abs/passwd", true).path()).isEqualTo("/etc/passwd");
    assertThatThrownBy(() -> r.resolve("/self", true)).isInstanceOf(SymlinkLoopException.class);
    assertThat(r.resolve("/self", false).node().type()).isEqualTo(EntryType.SYMLINK);
    assertThatThrownBy(() -> r.resolve("/empty", true)).isInstanceOf(PathNotFoundException.class);
  }

  @Test
  void unsafeNamesAreRejectedAndTheRootEntryOnlySetsAttributes() throws Exception {
    Layer l = new Layer().file("../x").file("/abs").file("a/../../y").dir("./");
    l.entries.set(3, TocEntry.builder().name("./").type(EntryType.DIRECTORY).mode(0700).build());
    MergedTree t = build(l);
    assertThat(t.rejected()).extracting(r -> r.name()).containsExactly("../x", "/abs", "a/../../y");
    assertThat(t.root().attributes().mode()).isEqualTo(0700);
    assertThat(t.root().children()).isEmpty();
  }
}
