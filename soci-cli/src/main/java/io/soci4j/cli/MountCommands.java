package io.soci4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.soci4j.fuse.SociMount;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code soci mount} and {@code soci umount}. */
final class MountCommands {
  private MountCommands() {}

  @Command(name = "mount", description = "Mount the image read-only at MOUNTPOINT (an empty directory) with FUSE, "
      + "files fetched as programs read them (the spans of the index's prefetch artifacts first, in the "
      + "background); stays in the foreground until 'soci umount MOUNTPOINT', Ctrl-C or SIGTERM, and says on "
      + "stderr when the mount is ready. Needs /dev/fuse (root) and libfuse2.")
  static final class Mount implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ReaderCommands.ImageArgs image;

    @Parameters(index = "1", paramLabel = "MOUNTPOINT", description = "An existing empty directory.")
    Path mountPoint;

    @Option(names = "--record", paramLabel = "FILE", description = "On unmount, write the paths of the files "
        + "opened, in first-open order, as a JSON array (what convert and create take with --prefetch-files-json).")
    Path record;

    @Option(names = "--background-fetch", description = "After the prefetch spans, fetch every other span in the "
        + "background (into the span cache), as upstream's background fetcher does.")
    boolean backgroundFetch;

    @Override
    public Integer call() throws Exception {
      PrintWriter err = spec.commandLine().getErr();
      // the mount is ready at once; the prefetch artifacts' spans come first, in the background
      image.run(spec, o -> o.prefetchInBackground(true).backgroundFetch(backgroundFetch), img -> {
        SociMount m = SociMount.mount(img, mountPoint);
        Thread onSignal = new Thread(() -> finish(m, err), "soci-mount-signal");
        Runtime.getRuntime().addShutdownHook(onSignal); // Ctrl-C, SIGTERM: unmount, then record
        err.println("soci: mounted " + image.ref + " at " + m.mountPoint() + " (unmount: soci umount "
            + m.mountPoint() + ", or Ctrl-C)");
        err.flush();
        m.awaitUnmounted();
        try {
          Runtime.getRuntime().removeShutdownHook(onSignal);
        } catch (IllegalStateException shuttingDown) {
          Thread.currentThread().join(); // the hook finishes the work; the JVM exits
        }
        finish(m, err);
      });
      return 0;
    }

    private void finish(SociMount m, PrintWriter err) {
      try {
        m.close();
        if (record != null) {
          byte[] json = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(m.openedPaths())
              .getBytes(StandardCharsets.UTF_8);
          AtomicFiles.write(record, out -> out.write(json));
        }
      } catch (Exception e) {
        err.println("soci: " + SociCli.message(e));
        err.flush();
      }
    }
  }

  @Command(name = "umount", description = "Unmount an image 'soci mount' mounted (lazily when a program still uses "
      + "it); the mount command then ends.")
  static final class Umount implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MOUNTPOINT", description = "Where the image is mounted.")
    Path mountPoint;

    @Override
    public Integer call() throws Exception {
      Path real = mountPoint.toRealPath();
      if (!SociMount.mountedAt(real)) {
        throw new java.nio.file.NoSuchFileException(real.toString(), null, "nothing is mounted there with FUSE");
      }
      SociMount.unmount(real);
      return 0;
    }
  }
}
