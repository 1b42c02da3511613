package io.soci4j.reader;

/**
 * How {@link SociImage#extractTo(java.nio.file.Path, ExtractOptions)} treats layer entries it
 * cannot write safely: the entries the merged view rejects ({@link SociImage#rejectedEntries()}:
 * names leading out of the root, hard links to missing targets...) and entries this system cannot
 * create (a name component over 255 bytes, a path over 4095 bytes, a name not valid in the file
 * name encoding, a symbolic link with an empty target). Every such entry is found before anything
 * is written. Immutable; build with {@link #builder()}.
 *
 * <pre>{@code
 * ExtractReport r = image.extractTo(dir, ExtractOptions.builder().skipUnsafeEntries(true).build());
 * r.skipped().forEach(e -> log.warn("not extracted: {}", e));
 * }</pre>
 */
public final class ExtractOptions {
  private static final ExtractOptions DEFAULTS = builder().build();
  private final boolean skipUnsafeEntries;

  private ExtractOptions(Builder b) {
    this.skipUnsafeEntries = b.skipUnsafeEntries;
  }

  /** {@return the defaults: an unsafe entry fails the extraction before anything is written} */
  public static ExtractOptions defaults() {
    return DEFAULTS;
  }

  /** {@return a builder with the defaults} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return whether unsafe entries are left out (and reported) instead of failing the extraction} */
  public boolean skipUnsafeEntries() {
    return skipUnsafeEntries;
  }

  /** Builds {@link ExtractOptions}. */
  public static final class Builder {
    private boolean skipUnsafeEntries;

    private Builder() {}

    /**
     * @param skip true to leave unsafe entries out and list them in {@link ExtractReport#skipped()};
     *     false (the default) to refuse the image with {@link UnsafeEntryException}, listing all
     * @return this builder
     */
    public Builder skipUnsafeEntries(boolean skip) {
      this.skipUnsafeEntries = skip;
      return this;
    }

    /** {@return the options} */
    public ExtractOptions build() {
      return new ExtractOptions(this);
    }
  }
}
