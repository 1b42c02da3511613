package io.soci4j.cli;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Standard output that remembers why a write failed, so that the tool can tell a closed pipe
 * ({@code soci cat ... | head}: stop at once, quietly, as {@code cat} does) from a real write
 * error ({@code > /dev/full}: a message and a failing exit code). Every failure is thrown as a
 * {@link WriteFailure}, so it is never mistaken for an error of the image or the registry.
 */
final class Stdout extends OutputStream {
  /** A write to standard output failed. */
  static final class WriteFailure extends IOException {
    private static final long serialVersionUID = 1L;

    WriteFailure(IOException cause) {
      super("cannot write to standard output: " + cause.getMessage(), cause);
    }

    private boolean reported;

    /** {@return true the first time: whether the failure still needs a message} */
    synchronized boolean report() {
      boolean first = !reported;
      reported = true;
      return first;
    }

    /** {@return whether the reader went away (EPIPE)} */
    boolean brokenPipe() {
      String m = getCause().getMessage();
      return m != null && (m.contains("Broken pipe") || m.contains("Stream closed"));
    }
  }

  private final OutputStream out;
  private volatile WriteFailure failure;

  Stdout(OutputStream out) {
    this.out = out;
  }

  /** {@return the first write failure, or null} */
  WriteFailure failure() {
    return failure;
  }

  private WriteFailure failed(IOException e) {
    if (e instanceof WriteFailure w) {
      return w;
    }
    WriteFailure w = new WriteFailure(e);
    if (failure == null) {
      failure = w;
    }
    return w;
  }

  @Override
  public void write(int b) throws IOException {
    try {
      out.write(b);
    } catch (IOException e) {
      throw failed(e);
    }
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    try {
      out.write(b, off, len);
    } catch (IOException e) {
      throw failed(e);
    }
  }

  @Override
  public void flush() throws IOException {
    try {
      out.flush();
    } catch (IOException e) {
      throw failed(e);
    }
  }

  @Override
  public void close() throws IOException {
    flush();
  }
}
