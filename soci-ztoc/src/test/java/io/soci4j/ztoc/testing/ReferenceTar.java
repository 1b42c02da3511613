package io.soci4j.ztoc.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * What a layer holds according to the JDK's {@link GZIPInputStream} and commons-compress's {@link
 * TarArchiveInputStream}: the independent reference the zTOC reader is compared with.
 *
 * @param stream the whole decompressed stream (the layer itself when it is not gzip)
 * @param files the bytes of every regular file and hardlink by name, as extraction produces them
 *     (a hardlink gets its target's bytes; a later member replaces an earlier one of the same name)
 */
public record ReferenceTar(byte[] stream, Map<String, byte[]> files) {

  /**
   * Decompresses (when the layer starts with the gzip magic) and extracts a layer.
   *
   * @param layer the layer blob
   * @return what it holds
   */
  public static ReferenceTar of(byte[] layer) {
    try {
      byte[] stream = layer;
      if (layer.length >= 2 && (layer[0] & 0xFF) == 0x1f && (layer[1] & 0xFF) == 0x8b) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(layer), 64 * 1024)) {
          stream = in.readAllBytes();
        }
      }
      Map<String, byte[]> files = new LinkedHashMap<>();
      try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(stream), "UTF-8")) {
        for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
          if (e.isLink()) {
            byte[] target = files.get(e.getLinkName());
            if (target != null) {
              files.put(e.getName(), target);
            }
          } else if (e.isFile() && !e.isSymbolicLink()) {
            files.put(e.getName(), tar.readAllBytes());
          }
        }
      }
      return new ReferenceTar(stream, files);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
