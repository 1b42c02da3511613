package io.soci4j.api.testing;

import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.List;

/**
 * The public-API boundary check shared by the modules' API tests (soci-api's test-jar): a public
 * signature may use only JDK types and soci4j types outside {@code .internal.} packages, so no
 * OkHttp, Jackson, flatbuffers, commons-compress or internal type leaks to users.
 */
public final class PublicSignatures {
  private PublicSignatures() {}

  /**
   * Adds a line to {@code leaks} for each disallowed type in a method's or constructor's
   * parameters, exceptions and return type.
   *
   * @param owner the declaring public type
   * @param e the method or constructor
   * @param leaks where the findings go
   */
  public static void check(Class<?> owner, Executable e, List<String> leaks) {
    String where = owner.getSimpleName() + "." + e.getName();
    for (Type t : e.getGenericParameterTypes()) {
      checkType(where, t, leaks);
    }
    for (Type t : e.getGenericExceptionTypes()) {
      checkType(where, t, leaks);
    }
    if (e instanceof Method m) {
      checkType(where, m.getGenericReturnType(), leaks);
    }
  }

  /**
   * Adds a line to {@code leaks} when a type (or a type argument, or an array's component) is not
   * allowed in a public signature.
   *
   * @param where the member, for the message
   * @param t the type
   * @param leaks where the findings go
   */
  public static void checkType(String where, Type t, List<String> leaks) {
    if (t instanceof ParameterizedType p) {
      checkType(where, p.getRawType(), leaks);
      for (Type a : p.getActualTypeArguments()) {
        checkType(where, a, leaks);
      }
      return;
    }
    if (t instanceof Class<?> c) {
      while (c.isArray()) {
        c = c.getComponentType();
      }
      String n = c.getName();
      if (!(c.isPrimitive() || n.startsWith("java.") || (n.startsWith("io.soci4j.") && !n.contains(".internal.")))) {
        leaks.add(where + " uses " + n);
      }
    }
  }
}
