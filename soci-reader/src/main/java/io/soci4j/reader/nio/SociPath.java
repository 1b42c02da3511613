package io.soci4j.reader.nio;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** A path of a {@link SociFileSystem}: {@code /} separated, absolute when it starts with {@code /}. */
final class SociPath implements Path {
  private final SociFileSystem fs;
  private final String path;
  private volatile String[] names;

  SociPath(SociFileSystem fs, String path) {
    this.fs = fs;
    this.path = clean(path);
  }

  /** Collapses repeated separators and drops a trailing one (except for the root). */
  private static String clean(String p) {
    if (p.indexOf('\0') >= 0) {
      throw new java.nio.file.InvalidPathException(p, "NUL character in path");
    }
    StringBuilder sb = new StringBuilder(p.length());
    char prev = 0;
    for (int i = 0; i < p.length(); i++) {
      char c = p.charAt(i);
      if (c == '/' && prev == '/') {
        continue;
      }
      sb.append(c);
      prev = c;
    }
    if (sb.length() > 1 && sb.charAt(sb.length() - 1) == '/') {
      sb.setLength(sb.length() - 1);
    }
    return sb.toString();
  }

  String pathString() {
    return path;
  }

  private String[] names() {
    String[] n = names;
    if (n == null) {
      if (path.isEmpty()) {
        n = new String[] {""};
      } else {
        String body = path.startsWith("/") ? path.substring(1) : path;
        n = body.isEmpty() ? new String[0] : body.split("/");
      }
      names = n;
    }
    return n;
  }

  private SociPath of(String p) {
    return new SociPath(fs, p);
  }

  private static SociPath check(Path other) {
    Objects.requireNonNull(other, "other");
    if (!(other instanceof SociPath p)) {
      throw new ProviderMismatchException("not a soci: path: " + other);
    }
    return p;
  }

  @Override
  public SociFileSystem getFileSystem() {
    return fs;
  }

  @Override
  public boolean isAbsolute() {
    return path.startsWith("/");
  }

  @Override
  public Path getRoot() {
    return isAbsolute() ? of("/") : null;
  }

  @Override
  public Path getFileName() {
    String[] n = names();
    if (n.length == 0) {
      return null;
    }
    return n.length == 1 && !isAbsolute() ? this : of(n[n.length - 1]);
  }

  @Override
  public Path getParent() {
    String[] n = names();
    if (n.length == 0 || (n.length == 1 && !isAbsolute())) {
      return null;
    }
    if (n.length == 1) {
      return of("/");
    }
    return of((isAbsolute() ? "/" : "") + String.join("/", Arrays.copyOf(n, n.length - 1)));
  }

  @Override
  public int getNameCount() {
    return names().length;
  }

  @Override
  public Path getName(int index) {
    String[] n = names();
    if (index < 0 || index >= n.length) {
      throw new IllegalArgumentException("name index " + index + " out of " + n.length);
    }
    return of(n[index]);
  }

  @Override
  public Path subpath(int beginIndex, int endIndex) {
    String[] n = names();
    if (beginIndex < 0 || endIndex > n.length || beginIndex >= endIndex) {
      throw new IllegalArgumentException("subpath [" + beginIndex + ", " + endIndex + ") of " + n.length + " names");
    }
    return of(String.join("/", Arrays.copyOfRange(n, beginIndex, endIndex)));
  }

  @Override
  public boolean startsWith(Path other) {
    if (!(other instanceof SociPath o) || o.fs != fs || o.isAbsolute() != isAbsolute()) {
      return false;
    }
    String[] mine = names();
    String[] theirs = o.names();
    if (theirs.length > mine.length || (o.path.isEmpty() && !path.isEmpty())) {
      return false;
    }
    for (int i = 0; i < theirs.length; i++) {
      if (!theirs[i].equals(mine[i])) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean startsWith(String other) {
    return startsWith(of(other));
  }

  @Override
  public boolean endsWith(Path other) {
    if (!(other instanceof SociPath o) || o.fs != fs) {
      return false;
    }
    if (o.isAbsolute()) {
      return o.path.equals(path);
    }
    String[] mine = names();
    String[] theirs = o.names();
    if (theirs.length > mine.length || (o.path.isEmpty() && !path.isEmpty())) {
      return false;
    }
    for (int i = 1; i <= theirs.length; i++) {
      if (!theirs[theirs.length - i].equals(mine[mine.length - i])) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean endsWith(String other) {
    return endsWith(of(other));
  }

  @Override
  public Path normalize() {
    List<String> out = new ArrayList<>();
    for (String n : names()) {
      if (n.equals(".") || n.isEmpty()) {
        continue;
      }
      if (n.equals("..")) {
        if (!out.isEmpty() && !out.get(out.size() - 1).equals("..")) {
          out.remove(out.size() - 1);
          continue;
        }
        if (isAbsolute()) {
          continue;
        }
      }
      out.add(n);
    }
    return of((isAbsolute() ? "/" : "") + String.join("/", out));
  }

  @Override
  public Path resolve(Path other) {
    SociPath o = check(other);
    if (o.isAbsolute()) {
      return o;
    }
    if (o.path.isEmpty()) {
      return this;
    }
    if (path.isEmpty()) {
      return o;
    }
    return of(path.equals("/") ? "/" + o.path : path + "/" + o.path);
  }

  @Override
  public Path resolve(String other) {
    return resolve(of(other));
  }

  @Override
  public Path relativize(Path other) {
    SociPath o = check(other);
    if (o.isAbsolute() != isAbsolute()) {
      throw new IllegalArgumentException("cannot relativize " + other + " against " + this
          + ": one is absolute, the other relative");
    }
    String[] a = ((SociPath) normalize()).names();
    String[] b = ((SociPath) o.normalize()).names();
    if (a.length == 1 && a[0].isEmpty()) {
      a = new String[0];
    }
    if (b.length == 1 && b[0].isEmpty()) {
      b = new String[0];
    }
    int common = 0;
    while (common < a.length && common < b.length && a[common].equals(b[common])) {
      common++;
    }
    List<String> out = new ArrayList<>();
    for (int i = common; i < a.length; i++) {
      out.add("..");
    }
    out.addAll(Arrays.asList(b).subList(common, b.length));
    return of(String.join("/", out));
  }

  @Override
  public URI toUri() {
    try {
      return new URI(SociFileSystemProvider.SCHEME, fs.key() + "!" + toAbsolutePath(), null);
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot make a URI of " + this, e);
    }
  }

  @Override
  public SociPath toAbsolutePath() {
    return isAbsolute() ? this : of("/" + path);
  }

  @Override
  public Path toRealPath(LinkOption... options) throws IOException {
    return of(fs.realPath(this, options));
  }

  @Override
  public WatchKey register(WatchService watcher, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers) {
    throw new UnsupportedOperationException("a soci: file system cannot be watched: it never changes");
  }

  @Override
  public int compareTo(Path other) {
    return path.compareTo(check(other).path);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SociPath p && p.fs == fs && p.path.equals(path);
  }

  @Override
  public int hashCode() {
    return path.hashCode();
  }

  @Override
  public String toString() {
    return path;
  }
}
