package io.soci4j.reader.nio;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Translates glob patterns ({@link java.nio.file.FileSystem#getPathMatcher}) to regular expressions. */
final class Globs {
  private Globs() {}

  static Pattern toRegex(String glob) {
    StringBuilder re = new StringBuilder("^");
    boolean inGroup = false;
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      switch (c) {
        case '\\' -> {
          if (++i >= glob.length()) {
            throw new PatternSyntaxException("trailing escape", glob, i - 1);
          }
          re.append(Pattern.quote(String.valueOf(glob.charAt(i))));
        }
        case '*' -> {
          if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
            re.append(".*");
            i++;
          } else {
            re.append("[^/]*");
          }
        }
        case '?' -> re.append("[^/]");
        case '[' -> {
          int end = glob.indexOf(']', i + 1);
          if (end < 0) {
            throw new PatternSyntaxException("missing ']'", glob, i);
          }
          String body = glob.substring(i + 1, end);
          if (body.startsWith("!")) {
            body = "^" + body.substring(1);
          }
          re.append("[").append(body.replace("\\", "\\\\").replace("[", "\\[")).append("&&[^/]]");
          i = end;
        }
        case '{' -> {
          if (inGroup) {
            throw new PatternSyntaxException("nested group", glob, i);
          }
          re.append("(?:");
          inGroup = true;
        }
        case '}' -> {
          re.append(inGroup ? ")" : "\\}");
          inGroup = false;
        }
        case ',' -> re.append(inGroup ? "|" : ",");
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    if (inGroup) {
      throw new PatternSyntaxException("missing '}'", glob, glob.length());
    }
    return Pattern.compile(re.append("$").toString());
  }
}
