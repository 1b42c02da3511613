package io.soci4j.registry.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plays object storage for the registry's redirect middleware: serves files under a root
 * directory on {@code localhost:<port>} (GET and HEAD, single {@code Range}s answered with 206) and
 * records every request with its headers, so tests can check what a redirected client sent.
 */
public final class RecordingFileServer implements Closeable {
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");
  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final Path root;
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();

  private RecordingFileServer(Path root) throws IOException {
    this.root = root.toAbsolutePath().normalize();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /**
   * @param root the directory to serve
   * @return the started server
   * @throws IOException when it cannot listen
   */
  public static RecordingFileServer start(Path root) throws IOException {
    return new RecordingFileServer(root);
  }

  /** {@return the port} */
  public int port() {
    return server.getAddress().getPort();
  }

  /** {@return the requests so far} */
  public List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      Map<String, List<String>> headers = new HashMap<>();
      ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
      requests.add(new RecordedRequest(ex.getRequestMethod(), ex.getRequestURI().toString(), headers));
      Path file = root.resolve(ex.getRequestURI().getPath().substring(1)).normalize();
      if (!file.startsWith(root) || !Files.isRegularFile(file)) {
        ex.sendResponseHeaders(404, -1);
        return;
      }
      long size = Files.size(file);
      long first = 0;
      long last = size - 1;
      int status = 200;
      String range = ex.getRequestHeaders().getFirst("Range");
      Matcher m = range == null ? null : RANGE.matcher(range);
      if (m != null && m.matches()) {
        first = Long.parseLong(m.group(1));
        last = m.group(2).isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(m.group(2)));
        if (first >= size) {
          ex.getResponseHeaders().set("Content-Range", "bytes */" + size);
          ex.sendResponseHeaders(416, -1);
          return;
        }
        status = 206;
        ex.getResponseHeaders().set("Content-Range", "bytes " + first + "-" + last + "/" + size);
      }
      long length = last - first + 1;
      ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
      if (ex.getRequestMethod().equals("HEAD")) {
        ex.getResponseHeaders().set("Content-Length", Long.toString(length));
        ex.sendResponseHeaders(status, -1);
        return;
      }
      ex.sendResponseHeaders(status, length == 0 ? -1 : length);
      try (var ch = Files.newByteChannel(file); OutputStream out = ex.getResponseBody()) {
        ch.position(first);
        byte[] buf = new byte[64 * 1024];
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(buf);
        for (long left = length; left > 0; ) {
          bb.clear().limit((int) Math.min(buf.length, left));
          int n = ch.read(bb);
          if (n < 0) {
            break;
          }
          out.write(buf, 0, n);
          left -= n;
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
