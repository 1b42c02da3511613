package io.soci4j.registry;

import io.soci4j.api.testing.PublicSignatures;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The public API of io.soci4j.registry exposes no internal and no third-party type (OkHttp,
 * Jackson, AWS SDK): those can change without breaking users.
 */
class PublicApiTest {

  @Test
  void publicSignaturesUseOnlyPublicSoci4jAndJdkTypes() throws Exception {
    Path dir = Path.of(URI.create(RegistryClient.class.getProtectionDomain().getCodeSource().getLocation()
        .toString())).resolve("io/soci4j/registry");
    List<String> leaks = new ArrayList<>();
    int checked = 0;
    try (var files = Files.list(dir)) {
      for (String name : files.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".class")).toList()) {
        Class<?> c = Class.forName("io.soci4j.registry." + name.replace(".class", ""));
        if (!Modifier.isPublic(c.getModifiers())) {
          continue;
        }
        checked++;
        for (Method m : c.getMethods()) {
          PublicSignatures.check(c, m, leaks);
        }
        for (Constructor<?> k : c.getConstructors()) {
          PublicSignatures.check(c, k, leaks);
        }
        for (Field f : c.getFields()) {
          PublicSignatures.checkType(c.getSimpleName() + "." + f.getName(), f.getGenericType(), leaks);
        }
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(15);
    assertThat(leaks).isEmpty();
  }

}
