package io.soci4j.reader.nio;

import java.io.IOException;
import java.nio.file.ClosedDirectoryStreamException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/** The entries of a directory, listed when the stream is opened; one iterator per stream. */
final class SociDirectoryStream implements DirectoryStream<Path> {
  private final List<Path> entries;
  private final Filter<? super Path> filter;
  private boolean open = true;
  private boolean iterated;

  SociDirectoryStream(List<Path> entries, Filter<? super Path> filter) {
    this.entries = entries;
    this.filter = filter;
  }

  @Override
  public synchronized Iterator<Path> iterator() {
    if (!open) {
      throw new ClosedDirectoryStreamException();
    }
    if (iterated) {
      throw new IllegalStateException("the iterator of a directory stream can be obtained only once");
    }
    iterated = true;
    Iterator<Path> all = entries.iterator();
    return new Iterator<>() {
      private Path next;

      @Override
      public boolean hasNext() {
        synchronized (SociDirectoryStream.this) {
          while (next == null && open && all.hasNext()) {
            Path p = all.next();
            try {
              if (filter == null || filter.accept(p)) {
                next = p;
              }
            } catch (IOException e) {
              throw new DirectoryIteratorException(e);
            }
          }
          return next != null;
        }
      }

      @Override
      public Path next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Path p = next;
        next = null;
        return p;
      }
    };
  }

  @Override
  public synchronized void close() {
    open = false;
  }
}
