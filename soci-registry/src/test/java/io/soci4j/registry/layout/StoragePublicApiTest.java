package io.soci4j.registry.layout;

import static org.assertj.core.api.Assertions.assertThat;

import io.soci4j.registry.memory.MemoryStore;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The public storage packages expose only their store classes, and their signatures use only
 * soci-api and JDK types: no Jackson and no {@code internal} type leaks.
 */
class StoragePublicApiTest {
  private static final List<Class<?>> PUBLIC_TYPES = List.of(OciLayoutStore.class, MemoryStore.class);

  @Test
  void publicSignaturesUseOnlySociApiAndJdkTypes() {
    List<String> leaks = new ArrayList<>();
    for (Class<?> c : PUBLIC_TYPES) {
      for (Method m : c.getMethods()) {
        check(m, leaks);
      }
      for (var k : c.getConstructors()) {
        check(k, leaks);
      }
      assertThat(c.getConstructors()).as("%s is made by a static factory", c).isEmpty();
    }
    assertThat(leaks).isEmpty();
  }

  @Test
  void theStorePackagesHaveNoOtherPublicType() throws Exception {
    List<String> found = new ArrayList<>();
    for (Class<?> c : PUBLIC_TYPES) {
      Path dir = classesDir(c);
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
          String name = c.getPackageName() + "." + f.getFileName().toString().replace(".class", "");
          Class<?> k = Class.forName(name);
          if (Modifier.isPublic(k.getModifiers())) {
            found.add(k.getName());
          }
        }
      }
    }
    assertThat(found).containsExactlyInAnyOrderElementsOf(PUBLIC_TYPES.stream().map(Class::getName).toList());
  }

  private static Path classesDir(Class<?> c) throws URISyntaxException {
    return Path.of(c.getResource(c.getSimpleName() + ".class").toURI()).getParent();
  }

  private static void check(Executable e, List<String> leaks) {
    List<Type> types = new ArrayList<>(List.of(e.getGenericParameterTypes()));
    types.addAll(List.of(e.getGenericExceptionTypes()));
    if (e instanceof Method m) {
      types.add(m.getGenericReturnType());
    }
    for (Type t : types) {
      checkType(e.toString(), t, leaks);
    }
  }

  private static void checkType(String where, Type t, List<String> leaks) {
    if (t instanceof ParameterizedType p) {
      checkType(where, p.getRawType(), leaks);
      for (Type a : p.getActualTypeArguments()) {
        checkType(where, a, leaks);
      }
    } else if (t instanceof Class<?> c) {
      Class<?> base = c.isArray() ? c.getComponentType() : c;
      String n = base.getName();
      boolean ok = base.isPrimitive() || n.startsWith("java.") || n.startsWith("io.soci4j.api.")
          || PUBLIC_TYPES.contains(base);
      if (!ok || n.contains(".internal.")) {
        leaks.add(where + " uses " + n);
      }
    }
  }
}
