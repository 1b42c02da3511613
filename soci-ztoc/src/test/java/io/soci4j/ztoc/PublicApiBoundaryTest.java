package io.soci4j.ztoc;

import io.soci4j.api.testing.PublicSignatures;
import static org.assertj.core.api.Assertions.assertThat;

import io.soci4j.api.ByteSource;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.net.URI;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The public API of soci-api and soci-ztoc exposes no internal type and no third-party type
 * (flatbuffers, commons-compress, Jackson): those can change without breaking users.
 */
class PublicApiBoundaryTest {
  private static final List<Class<?>> PUBLIC_TYPES = List.of(
      Ztoc.class, ZtocBuilder.class, ZtocCodec.class, LayerReader.class, LazyZtoc.class, TocEntry.class, TocEntry.Builder.class,
      PaxRecord.class, EntryType.class, Compression.class, Span.class, SpanVerificationException.class,
      EntryNotFoundException.class, ZstdRecompressor.class, ZstdRecompressor.Result.class, ByteSource.class, io.soci4j.api.Digest.class, io.soci4j.api.PrintableText.class, io.soci4j.api.Descriptor.class,
      io.soci4j.api.MediaTypes.class, io.soci4j.api.SociException.class, io.soci4j.api.LayerFormatException.class,
      io.soci4j.api.UnsupportedLayerException.class, io.soci4j.api.ZtocFormatException.class,
      io.soci4j.api.DigestMismatchException.class, io.soci4j.api.Platform.class, io.soci4j.api.ImageStore.class,
      io.soci4j.api.ContentNotFoundException.class);

  @Test
  void publicSignaturesUseOnlyPublicApiAndJdkTypes() {
    List<String> leaks = new ArrayList<>();
    for (Class<?> c : PUBLIC_TYPES) {
      for (Method m : c.getMethods()) {
        PublicSignatures.check(c, m, leaks);
      }
      for (Constructor<?> k : c.getConstructors()) {
        PublicSignatures.check(c, k, leaks);
      }
      for (Field f : c.getFields()) {
        PublicSignatures.checkType(c + "." + f.getName(), f.getGenericType(), leaks);
      }
    }
    assertThat(leaks).isEmpty();
  }

  @Test
  void everyPublicTypeOfTheApiPackagesIsListedHere() throws Exception {
    // Guards the list above: a new public class must be added (and so checked).
    int seen = 0;
    for (String pkg : List.of("io/soci4j/ztoc", "io/soci4j/api")) {
      for (URL url : Collections.list(getClass().getClassLoader().getResources(pkg))) {
        URI uri = url.toURI();
        if (uri.toString().contains("test-classes")) {
          continue;
        }
        if (uri.getScheme().equals("jar")) {
          try (FileSystem fs = FileSystems.newFileSystem(uri, Map.of())) {
            seen += checkListed(fs.getPath(pkg), pkg);
          }
        } else {
          seen += checkListed(Path.of(uri), pkg);
        }
      }
    }
    assertThat(seen).isGreaterThanOrEqualTo(PUBLIC_TYPES.size());
  }

  private static int checkListed(Path dir, String pkg) throws Exception {
    int n = 0;
    try (var files = Files.list(dir)) {
      for (String name : files.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".class")).toList()) {
        Class<?> c = Class.forName(pkg.replace('/', '.') + "." + name.replace(".class", ""));
        if (Modifier.isPublic(c.getModifiers()) && !c.isAnonymousClass()) {
          assertThat(PUBLIC_TYPES).as("public type %s is checked", c.getName()).contains(c);
          n++;
        }
      }
    }
    return n;
  }

}
