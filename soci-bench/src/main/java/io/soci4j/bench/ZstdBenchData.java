package io.soci4j.bench;

import com.github.luben.zstd.EndDirective;
import com.github.luben.zstd.ZstdCompressCtx;
import io.soci4j.ztoc.ZstdRecompressor;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * zstd variants of {@link BenchData#jdkTar()}, cached next to it (same directory, same rules):
 *
 * <ul>
 *   <li>{@code jdk-zstN-single.tar.zst}: one zstd frame at level N (what {@code zstd -N} writes);
 *   <li>{@code jdk-zstN-fixedF.tar.zst}: frames of exactly F uncompressed bytes, at level N;
 *   <li>{@code jdk-zstN-seekableS.tar.zst}: soci4j's {@link ZstdRecompressor} at level N for span
 *       size S: frames cut after S bytes at tar member boundaries, with a seek table.
 * </ul>
 */
public final class ZstdBenchData {
  private ZstdBenchData() {}

  /**
   * @param level zstd level
   * @return the JDK layer as one zstd frame
   */
  public static Path single(int level) {
    return cached("jdk-zst" + level + "-single.tar.zst", out -> frames(out, level, Long.MAX_VALUE));
  }

  /**
   * @param level zstd level
   * @param frameSize uncompressed bytes per frame
   * @return the JDK layer in frames of {@code frameSize} bytes
   */
  public static Path fixedFrames(int level, long frameSize) {
    return cached("jdk-zst" + level + "-fixed" + frameSize + ".tar.zst", out -> frames(out, level, frameSize));
  }

  /**
   * @param level zstd level
   * @param spanSize span size the frames are cut for
   * @return the JDK layer recompressed by {@link ZstdRecompressor}
   */
  public static Path seekable(int level, long spanSize) {
    return cached("jdk-zst" + level + "-seekable" + spanSize + ".tar.zst", out -> {
      try (InputStream in = new BufferedInputStream(Files.newInputStream(BenchData.jdkTar()), 1 << 16)) {
        ZstdRecompressor.create().withLevel(level).withSpanSize(spanSize).recompress(in, out);
      }
    });
  }

  private static void frames(OutputStream out, int level, long frameSize) throws IOException {
    try (ZstdCompressCtx ctx = new ZstdCompressCtx();
        InputStream in = new BufferedInputStream(Files.newInputStream(BenchData.jdkTar()), 1 << 16)) {
      ctx.setLevel(level);
      ctx.setChecksum(true);
      ByteBuffer dst = ByteBuffer.allocate(1 << 17);
      byte[] buf = new byte[1 << 16];
      long inFrame = 0;
      for (int n; (n = in.read(buf, 0, (int) Math.min(buf.length, frameSize - inFrame))) >= 0; ) {
        ByteBuffer src = ByteBuffer.wrap(buf, 0, n);
        while (src.hasRemaining()) {
          ctx.compressByteBufferStream(dst, src, EndDirective.CONTINUE);
          drain(dst, out);
        }
        inFrame += n;
        if (inFrame == frameSize) {
          end(ctx, dst, out);
          inFrame = 0;
        }
      }
      if (inFrame > 0) {
        end(ctx, dst, out);
      }
    }
  }

  private static void end(ZstdCompressCtx ctx, ByteBuffer dst, OutputStream out) throws IOException {
    boolean done;
    do {
      done = ctx.compressByteBufferStream(dst, ByteBuffer.allocate(0), EndDirective.END);
      drain(dst, out);
    } while (!done);
  }

  private static void drain(ByteBuffer dst, OutputStream out) throws IOException {
    out.write(dst.array(), 0, dst.position());
    dst.clear();
  }

  private static Path cached(String name, BenchData.Writer writer) {
    Path target = BenchData.dir().resolve(name);
    if (Files.isRegularFile(target)) {
      return target;
    }
    try {
      Path tmp = Files.createTempFile(BenchData.dir(), name, ".tmp");
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
        writer.write(out);
      } catch (IOException | RuntimeException e) {
        Files.deleteIfExists(tmp);
        throw e;
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot build benchmark layer " + target, e);
    }
  }
}
