package io.soci4j.ztoc.internal.tar;

import io.soci4j.api.LayerFormatException;
import io.soci4j.ztoc.TocEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Push parser that turns an uncompressed tar stream into the TOC entries upstream soci-snapshotter
 * builds with Go's {@code archive/tar} reader, fed in chunks of any size.
 *
 * <pre>{@code
 * TarTocParser parser = new TarTocParser();
 * while ((n = in.read(buf)) > 0) {
 *   parser.accept(buf, 0, n);
 * }
 * List<TocEntry> toc = parser.finish();
 * long uncompressedArchiveSize = parser.archiveSize();
 * }</pre>
 *
 * <p>Only header blocks (512 bytes) and the data of extension headers (PAX {@code x}/{@code g},
 * GNU {@code L}/{@code K}, at most {@value #MAX_EXTENSION_SIZE} bytes each, as Go's limit) are
 * buffered; member data is skipped by counting. Chunking never changes the result.
 *
 * <p>End of input follows Go's {@code readHeader}: two zero blocks end the archive and anything
 * after them is ignored and not counted; input that ends cleanly at a header boundary (no zero
 * block, or only one), or inside the padding after a member's data, also ends the archive, with
 * {@link #archiveSize()} the length seen; input that ends inside a header block, inside extension
 * data or inside a member's data is truncated. A zero block followed by a non-zero block is an
 * error, as in Go.
 *
 * <p>Not thread-safe. After an exception the parser is failed and rethrows it.
 */
public final class TarTocParser {
  /** Largest extension header data accepted (Go's {@code maxSpecialFileSize}). */
  public static final int MAX_EXTENSION_SIZE = 1 << 20;

  private static final int BLOCK = TarHeader.BLOCK_SIZE;
  private static final int HEADER = 0;
  private static final int EXTENSION = 1;
  private static final int SKIP = 2;
  private static final int END = 3;

  private final byte[] block = new byte[BLOCK];
  private final MemberAssembler assembler = new MemberAssembler();
  private final List<TocEntry> entries = new ArrayList<>();

  private int state = HEADER;
  private long position;
  private int blockFill;
  private boolean zeroBlockSeen;

  private byte[] extension = new byte[BLOCK];
  private int extensionLength;
  private int extensionFill;
  private TarHeader extensionHeader;

  private long skipRemaining;
  private long dataEnd;
  private String skipEntry;
  private long skipEntryOffset;

  private boolean finished;
  private long archiveSize = -1;
  private LayerFormatException failure;

  /** Creates a parser positioned at the start of a tar stream. */
  public TarTocParser() {}

  /**
   * Feeds the next uncompressed tar bytes, in order.
   *
   * @param buf buffer
   * @param off first byte to read
   * @param len number of bytes
   * @throws LayerFormatException for a malformed header or extension header
   * @throws io.soci4j.api.UnsupportedLayerException for a member upstream refuses to index
   */
  public void accept(byte[] buf, int off, int len) throws LayerFormatException {
    Objects.checkFromIndexSize(off, len, buf.length);
    checkUsable();
    if (finished) {
      throw new IllegalStateException("accept() after finish()");
    }
    try {
      int end = off + len;
      while (off < end) {
        switch (state) {
          case SKIP: {
            int n = (int) Math.min(skipRemaining, end - off);
            off += n;
            position += n;
            skipRemaining -= n;
            if (skipRemaining == 0) {
              state = HEADER;
            }
            break;
          }
          case HEADER: {
            int n = Math.min(BLOCK - blockFill, end - off);
            System.arraycopy(buf, off, block, blockFill, n);
            off += n;
            position += n;
            blockFill += n;
            if (blockFill == BLOCK) {
              blockFill = 0;
              onBlock();
            }
            break;
          }
          case EXTENSION: {
            int n = Math.min(extensionLength - extensionFill, end - off);
            System.arraycopy(buf, off, extension, extensionFill, n);
            off += n;
            position += n;
            extensionFill += n;
            if (extensionFill == extensionLength) {
              onExtensionData();
            }
            break;
          }
          default:
            return; // after the end-of-archive blocks: ignored, not counted
        }
      }
    } catch (LayerFormatException e) {
      failure = e;
      throw e;
    }
  }

  /**
   * Ends the input and validates it.
   *
   * @return the TOC entries in stream order
   * @throws LayerFormatException when the input ends inside a header block, extension data or
   *     member data
   */
  public List<TocEntry> finish() throws LayerFormatException {
    checkUsable();
    if (!finished) {
      LayerFormatException e = truncation();
      if (e != null) {
        failure = e;
        throw e;
      }
      finished = true;
      if (archiveSize < 0) {
        archiveSize = position;
      }
    }
    return List.copyOf(entries);
  }

  /**
   * {@return upstream's {@code uncompressed_archive_size}: the offset just after the two zero
   * blocks, or the input length when the archive ended without them}
   *
   * @throws IllegalStateException before {@link #finish()} succeeded
   */
  public long archiveSize() {
    if (!finished) {
      throw new IllegalStateException("archiveSize() is known after finish()");
    }
    return archiveSize;
  }

  /** {@return whether the two zero blocks that end a tar archive were seen} */
  public boolean endOfArchiveSeen() {
    return state == END;
  }

  private void checkUsable() throws LayerFormatException {
    if (failure != null) {
      throw failure;
    }
  }

  private void onBlock() throws LayerFormatException {
    long offset = position - BLOCK;
    if (isZero(block)) {
      if (zeroBlockSeen) {
        state = END;
        archiveSize = position;
      } else {
        zeroBlockSeen = true;
      }
      return;
    }
    if (zeroBlockSeen) {
      throw new LayerFormatException("invalid tar header: a zero block is followed by a non-zero block", -1,
          offset, null);
    }
    TarHeader h = TarHeader.parse(block, offset);
    // negative even where it covers no data (links, directories): Go's reader would pass such a
    // size on and upstream would write it into the zTOC, where no reader can use it
    if (h.size < 0) {
      throw new LayerFormatException("invalid tar header: negative size " + h.size, -1, offset,
          TarText.decode(h.name, 0, h.name.length));
    }
    if (TypeFlags.isExtension(h.typeFlag)) {
      if (h.size > MAX_EXTENSION_SIZE) {
        throw new LayerFormatException("extension header (type " + TypeFlags.quote(h.typeFlag) + ") holds "
            + h.size + " bytes, more than the " + MAX_EXTENSION_SIZE + " allowed", -1, offset,
            TarText.decode(h.name, 0, h.name.length));
      }
      extensionHeader = h;
      extensionLength = (int) h.size;
      extensionFill = 0;
      if (extension.length < extensionLength) {
        extension = new byte[Math.max(extensionLength, Math.min(2 * extension.length, MAX_EXTENSION_SIZE))];
      }
      state = EXTENSION;
      if (extensionLength == 0) {
        onExtensionData();
      }
      return;
    }
    TocEntry entry = assembler.complete(h, position);
    entries.add(entry);
    // only regular files have data, whatever the size field of the others says (Go's isHeaderOnlyType)
    skip(entry.dataSize(), entry.name(), offset);
  }

  private void onExtensionData() throws LayerFormatException {
    TarHeader h = extensionHeader;
    switch (h.typeFlag) {
      case TypeFlags.PAX_LOCAL:
        assembler.pax(parsePax(h));
        break;
      case TypeFlags.PAX_GLOBAL:
        throw MemberAssembler.refuseGlobal(h, parsePax(h));
      case TypeFlags.GNU_LONG_NAME:
        assembler.longName(extension, extensionLength);
        break;
      default:
        assembler.longLink(extension, extensionLength);
        break;
    }
    dataEnd = position; // the data was buffered; only its padding is left
    skipRemaining = -extensionLength & (BLOCK - 1);
    state = skipRemaining == 0 ? HEADER : SKIP;
  }

  private PaxHeader parsePax(TarHeader h) throws LayerFormatException {
    try {
      return PaxHeader.parse(extension, extensionLength);
    } catch (IllegalArgumentException e) {
      throw new LayerFormatException(e.getMessage(), -1, h.offset, TarText.decode(h.name, 0, h.name.length));
    }
  }

  /**
   * Skips a member's data (from the current position) and the padding to the next block. A size
   * whose data and padding would end past the largest {@code long} offset is refused here: no
   * later arithmetic may overflow (a size near 2^63 would otherwise make the skip count negative
   * and the parser spin, or the end offset wrap and a truncated member pass as complete).
   */
  private void skip(long dataLength, String entryName, long headerOffset) throws LayerFormatException {
    long padding = -dataLength & (BLOCK - 1);
    if (dataLength < 0 || dataLength > Long.MAX_VALUE - position - padding) {
      throw new LayerFormatException("invalid tar header: size " + Long.toUnsignedString(dataLength)
          + " would end the member past the largest offset a tar stream can have (" + Long.MAX_VALUE + ")", -1,
          headerOffset, entryName);
    }
    dataEnd = position + dataLength;
    skipRemaining = dataLength + padding;
    skipEntry = entryName;
    skipEntryOffset = headerOffset;
    state = skipRemaining == 0 ? HEADER : SKIP;
  }

  private LayerFormatException truncation() {
    switch (state) {
      case HEADER:
        if (blockFill == 0) {
          return null;
        }
        return new LayerFormatException("tar stream truncated inside a header block (" + blockFill + " of " + BLOCK
            + " bytes)", -1, position - blockFill, null);
      case EXTENSION:
        return new LayerFormatException("tar stream truncated inside extension header data (" + extensionFill
            + " of " + extensionLength + " bytes)", -1, extensionHeader.offset,
            TarText.decode(extensionHeader.name, 0, extensionHeader.name.length));
      case SKIP:
        if (position >= dataEnd) {
          return null; // inside padding: Go reports a clean end of archive
        }
        return new LayerFormatException("tar stream truncated inside member data: " + (dataEnd - position)
            + " bytes missing at offset " + position, -1, skipEntryOffset, skipEntry);
      default:
        return null;
    }
  }

  private static boolean isZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }
}
