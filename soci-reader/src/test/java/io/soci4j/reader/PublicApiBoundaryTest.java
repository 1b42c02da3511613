package io.soci4j.reader;

import io.soci4j.api.testing.PublicSignatures;
import static org.assertj.core.api.Assertions.assertThat;

import io.soci4j.reader.nio.SociFileSystemProvider;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The public API of soci-reader ({@code io.soci4j.reader}, {@code io.soci4j.reader.nio}) exposes
 * no internal type and no third-party type, and every public type of those packages is listed
 * here (so a new one is checked too).
 */
class PublicApiBoundaryTest {
  private static final List<Class<?>> PUBLIC_TYPES = List.of(SociImage.class, SociImageOptions.class,
      SociImageOptions.Builder.class, SpanCache.class, SpanKey.class, ImageEntry.class, ImageFile.class, ImageLayer.class,
      ReaderStats.class, LayerStats.class, RejectedEntry.class, PathNotFoundException.class,
      SymlinkLoopException.class, NotRegularFileException.class, UnsafeEntryException.class, ExtractOptions.class, ExtractOptions.Builder.class, ExtractReport.class,
      SociFileSystemProvider.class);

  @Test
  void publicSignaturesUseOnlyPublicApiAndJdkTypes() {
    List<String> leaks = new ArrayList<>();
    for (Class<?> c : PUBLIC_TYPES) {
      for (Method m : c.getMethods()) {
        PublicSignatures.check(c, m, leaks);
      }
      for (var k : c.getConstructors()) {
        PublicSignatures.check(c, k, leaks);
      }
      for (var f : c.getFields()) {
        PublicSignatures.checkType(c.getSimpleName() + "." + f.getName(), f.getGenericType(), leaks);
      }
    }
    assertThat(leaks).isEmpty();
  }

  @Test
  void everyPublicTypeOfThePublicPackagesIsListed() throws Exception {
    int seen = 0;
    for (String pkg : List.of("io/soci4j/reader", "io/soci4j/reader/nio")) {
      URI uri = getClass().getClassLoader().getResources(pkg).nextElement().toURI();
      for (var url : java.util.Collections.list(getClass().getClassLoader().getResources(pkg))) {
        if (!url.toString().contains("test-classes")) {
          uri = url.toURI();
        }
      }
      try (Stream<Path> files = Files.list(Path.of(uri))) {
        for (String name : files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".class")).toList()) {
          Class<?> c = Class.forName(pkg.replace('/', '.') + "." + name.replace(".class", ""));
          if (Modifier.isPublic(c.getModifiers()) && !c.isAnonymousClass()) {
            assertThat(PUBLIC_TYPES).as("public type %s is listed", c.getName()).contains(c);
            seen++;
          }
        }
      }
    }
    assertThat(seen).isEqualTo(PUBLIC_TYPES.size());
  }

}
