package io.soci4j.lambda.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which pushes to index: comma-separated {@code repository:tag} globs, as upstream's filter
 * function takes them ({@code *} any run of characters, {@code ?} one, {@code [...]} a class;
 * the whole of {@code repository:tag} must match, an untagged push as {@code repository:}).
 */
public final class TagFilters {
  private final List<String> globs;
  private final List<Pattern> patterns;

  private TagFilters(List<String> globs) {
    this.globs = List.copyOf(globs);
    List<Pattern> p = new ArrayList<>();
    for (String g : globs) {
      p.add(Pattern.compile(regex(g)));
    }
    this.patterns = List.copyOf(p);
  }

  /**
   * @param spec comma-separated globs; blank means every push
   * @return the filters
   * @throws IllegalArgumentException when a glob is empty
   */
  public static TagFilters parse(String spec) {
    if (spec == null || spec.isBlank()) {
      return new TagFilters(List.of("*:*"));
    }
    List<String> globs = new ArrayList<>();
    for (String g : spec.split(",")) {
      String t = g.trim();
      if (t.isEmpty()) {
        throw new IllegalArgumentException("empty filter in '" + spec + "': want repository:tag globs, comma-separated");
      }
      globs.add(t);
    }
    return new TagFilters(globs);
  }

  /**
   * @param repository repository name
   * @param tag tag, empty for an untagged push
   * @return the first glob matching {@code repository:tag}, or null
   */
  public String match(String repository, String tag) {
    String subject = repository + ":" + tag;
    for (int i = 0; i < patterns.size(); i++) {
      if (patterns.get(i).matcher(subject).matches()) {
        return globs.get(i);
      }
    }
    return null;
  }

  /** {@return the globs} */
  public List<String> globs() {
    return globs;
  }

  /** fnmatch's translation: {@code *}, {@code ?}, {@code [...]} (with {@code [!...]}), the rest literal. */
  static String regex(String glob) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      switch (c) {
        case '*' -> sb.append(".*");
        case '?' -> sb.append('.');
        case '[' -> {
          int end = glob.indexOf(']', i + 2);
          if (end < 0) {
            sb.append("\\[");
          } else {
            String body = glob.substring(i + 1, end);
            if (body.startsWith("!")) {
              body = "^" + body.substring(1);
            }
            sb.append('[').append(body.replace("\\", "\\\\")).append(']');
            i = end;
          }
        }
        default -> sb.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return sb.toString();
  }
}
