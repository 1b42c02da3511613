package io.soci4j.registry.internal.http;

import io.soci4j.api.SociException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import okhttp3.ResponseBody;

/** Bounded reads of response bodies. */
public final class Bodies {
  private Bodies() {}

  /**
   * Reads a whole body that must not exceed a limit.
   *
   * @param body the body
   * @param limit the most bytes accepted
   * @param what the content, for the message
   * @return the bytes
   * @throws SociException when the body is larger than the limit (not worth retrying)
   * @throws IOException when reading fails
   */
  public static byte[] readAtMost(ResponseBody body, long limit, String what) throws IOException {
    long declared = body.contentLength();
    if (declared > limit) {
      throw new SociException(what + " is " + declared + " bytes, more than the limit of " + limit);
    }
    try (InputStream in = body.byteStream()) {
      byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
      if (bytes.length > limit) {
        throw new SociException(what + " is more than the limit of " + limit + " bytes");
      }
      return bytes;
    }
  }

  /**
   * Reads the start of a body and ignores the rest (for error bodies).
   *
   * @param body the body
   * @param max the most bytes to read
   * @return up to {@code max} bytes; empty when reading fails
   */
  public static byte[] readPrefix(ResponseBody body, int max) {
    try (InputStream in = body.byteStream()) {
      byte[] bytes = in.readNBytes(max);
      return bytes.length <= max ? bytes : Arrays.copyOf(bytes, max);
    } catch (IOException e) {
      return new byte[0];
    }
  }
}
