package io.soci4j.registry.layout.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.soci4j.api.SociException;
import io.soci4j.registry.internal.model.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Opens an OCI image layout directory, creating a new one in a missing or empty directory:
 * {@code blobs/sha256/}, an empty {@code index.json}, and last {@code oci-layout}, which marks
 * the layout complete. Creation happens under the layout lock, so concurrent openers agree.
 */
public final class LayoutDirectory {
  /** The content of a new {@code oci-layout} file. */
  public static final String OCI_LAYOUT = "{\"imageLayoutVersion\":\"1.0.0\"}";

  /** Entries a half-created layout may have before {@code oci-layout} appears. */
  private static final Set<String> CREATION_ENTRIES = Set.of(LayoutLock.FILE_NAME, "blobs", "index.json");

  private LayoutDirectory() {}

  /**
   * Opens or creates a layout.
   *
   * @param dir the directory; created when missing
   * @return its real path
   * @throws SociException when the directory holds other files but no {@code oci-layout}, or an
   *     {@code oci-layout} of another major version
   * @throws IOException on other failures
   */
  public static Path openOrCreate(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path root = dir.toRealPath();
    Path marker = root.resolve("oci-layout");
    if (!Files.exists(marker)) {
      checkCreatable(root);
      new LayoutLock(root).with(() -> {
        if (!Files.exists(marker)) {
          create(root, marker);
        }
        return null;
      });
    }
    checkVersion(marker);
    Files.createDirectories(root.resolve("blobs").resolve("sha256"));
    return root;
  }

  /**
   * Opens an existing layout without creating or changing anything.
   *
   * @param dir the directory
   * @return its real path
   * @throws io.soci4j.api.ContentNotFoundException when the directory does not exist
   * @throws SociException when it is not an OCI image layout (no {@code oci-layout}), or its
   *     version is unsupported
   * @throws IOException on other failures
   */
  public static Path openExisting(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new io.soci4j.api.ContentNotFoundException("OCI image layout directory " + dir);
    }
    Path root = dir.toRealPath();
    Path marker = root.resolve("oci-layout");
    if (!Files.isRegularFile(marker)) {
      throw new SociException(root + " is not an OCI image layout: it has no oci-layout file");
    }
    checkVersion(marker);
    return root;
  }

  private static void create(Path root, Path marker) throws IOException {
    Files.createDirectories(root.resolve("blobs").resolve("sha256"));
    Path index = root.resolve("index.json");
    if (!Files.exists(index)) {
      AtomicFiles.replace(root, index, IndexDocument.empty().toBytes());
    }
    AtomicFiles.replace(root, marker, OCI_LAYOUT.getBytes(StandardCharsets.UTF_8));
  }

  private static void checkCreatable(Path root) throws IOException {
    List<String> others;
    try (Stream<Path> entries = Files.list(root)) {
      others = entries.map(p -> p.getFileName().toString())
          .filter(n -> !CREATION_ENTRIES.contains(n))
          .filter(n -> !(n.startsWith(AtomicFiles.TEMP_PREFIX) && n.endsWith(AtomicFiles.TEMP_SUFFIX)))
          .sorted().limit(5).toList();
    }
    if (!others.isEmpty()) {
      throw new SociException(root + " is not an OCI image layout (no oci-layout file) and is not empty: it holds "
          + String.join(", ", others) + "; refusing to turn it into one");
    }
  }

  private static void checkVersion(Path marker) throws IOException {
    byte[] bytes = Files.readAllBytes(marker);
    JsonNode node;
    try {
      node = Json.tree(bytes);
    } catch (IOException e) {
      throw new SociException(marker + " is not valid JSON: " + e.getMessage(), e);
    }
    JsonNode version = node.get("imageLayoutVersion");
    if (version == null || !version.isTextual()) {
      throw new SociException(marker + " has no imageLayoutVersion string");
    }
    if (!version.asText().startsWith("1.")) {
      throw new SociException(marker + ": unsupported imageLayoutVersion '" + version.asText() + "', want 1.x");
    }
  }
}
