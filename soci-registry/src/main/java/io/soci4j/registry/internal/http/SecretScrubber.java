package io.soci4j.registry.internal.http;

import io.soci4j.registry.RegistryError;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.Request;

/**
 * Removes the secrets a request carried from the text a server sent back about it (OCI error
 * bodies end up in exception messages, logs and the CLI's stderr, and a careless or hostile
 * server may echo the request): the {@code Authorization} value, its Basic {@code user:password}
 * decoded and the password alone, a bearer token, and the values of the URL's query (signed URLs);
 * then anything that still looks like {@code Basic <credentials>} or {@code Bearer <token>}.
 */
public final class SecretScrubber {
  private static final String REDACTED = "<redacted>";
  private static final Pattern SCHEME = Pattern.compile("(?i)\\b(basic|bearer)\\s+[A-Za-z0-9+/=._~-]{6,}");
  /** Shorter values are not scrubbed: they would mangle ordinary words. */
  private static final int MIN_SECRET = 6;

  private SecretScrubber() {}

  /**
   * @param errors what the server said
   * @param request the request it answered (its final form, with the headers sent)
   * @return the errors with the request's secrets replaced by {@code <redacted>}
   */
  public static List<RegistryError> scrub(List<RegistryError> errors, Request request) {
    if (errors.isEmpty()) {
      return errors;
    }
    List<String> secrets = secretsOf(request);
    List<RegistryError> out = new ArrayList<>(errors.size());
    for (RegistryError e : errors) {
      out.add(new RegistryError(scrub(e.code(), secrets), scrub(e.message(), secrets)));
    }
    return out;
  }

  static String scrub(String text, List<String> secrets) {
    String t = text;
    for (String s : secrets) {
      t = t.replace(s, REDACTED);
    }
    return SCHEME.matcher(t).replaceAll("$1 " + REDACTED);
  }

  /** The request's secrets, longest first (so a part never leaves the rest of a longer one). */
  static List<String> secretsOf(Request request) {
    Set<String> out = new LinkedHashSet<>();
    String auth = request.header("Authorization");
    if (auth != null) {
      out.add(auth);
      int space = auth.indexOf(' ');
      String value = space < 0 ? auth : auth.substring(space + 1).trim();
      out.add(value);
      if (auth.regionMatches(true, 0, "Basic ", 0, 6)) {
        try {
          String plain = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
          out.add(plain);
          int colon = plain.indexOf(':');
          if (colon >= 0) {
            out.add(plain.substring(colon + 1));
          }
        } catch (IllegalArgumentException notBase64) {
          // the value itself is scrubbed
        }
      }
    }
    HttpUrl url = request.url();
    for (int i = 0; i < url.querySize(); i++) {
      String v = url.queryParameterValue(i);
      if (v != null) {
        out.add(v);
      }
    }
    if (url.encodedQuery() != null) {
      out.add(url.encodedQuery());
      for (String pair : url.encodedQuery().split("&")) {
        out.add(pair.substring(pair.indexOf('=') + 1)); // as sent, percent-encoded
      }
    }
    List<String> sorted = new ArrayList<>();
    for (String s : out) {
      if (s.length() >= MIN_SECRET) {
        sorted.add(s);
      }
    }
    sorted.sort(Comparator.comparingInt(String::length).reversed());
    return sorted;
  }
}
