package io.soci4j.ztoc;

/**
 * Field slots of the zTOC flatbuffers schema (upstream {@code ztoc/fbs/ztoc.fbs}; SOCI format
 * spec §2), shared by {@link ZtocWriter} and {@link ZtocReader}.
 */
final class ZtocSchema {
  static final String VERSION = "0.9";

  static final int ZTOC_FIELDS = 6;
  static final int ZTOC_VERSION = 0;
  static final int ZTOC_BUILD_TOOL_IDENTIFIER = 1;
  static final int ZTOC_COMPRESSED_ARCHIVE_SIZE = 2;
  static final int ZTOC_UNCOMPRESSED_ARCHIVE_SIZE = 3;
  static final int ZTOC_TOC = 4;
  static final int ZTOC_COMPRESSION_INFO = 5;

  static final int TOC_FIELDS = 1;
  static final int TOC_METADATA = 0;

  static final int FILE_FIELDS = 14;
  static final int FILE_NAME = 0;
  static final int FILE_TYPE = 1;
  static final int FILE_UNCOMPRESSED_OFFSET = 2;
  static final int FILE_UNCOMPRESSED_SIZE = 3;
  static final int FILE_LINKNAME = 4;
  static final int FILE_MODE = 5;
  static final int FILE_UID = 6;
  static final int FILE_GID = 7;
  static final int FILE_UNAME = 8;
  static final int FILE_GNAME = 9;
  static final int FILE_MOD_TIME = 10;
  static final int FILE_DEVMAJOR = 11;
  static final int FILE_DEVMINOR = 12;
  static final int FILE_XATTRS = 13;

  static final int XATTR_FIELDS = 2;
  static final int XATTR_KEY = 0;
  static final int XATTR_VALUE = 1;

  static final int COMPRESSION_FIELDS = 4;
  static final int COMPRESSION_ALGORITHM = 0;
  static final int COMPRESSION_MAX_SPAN_ID = 1;
  static final int COMPRESSION_SPAN_DIGESTS = 2;
  static final int COMPRESSION_CHECKPOINTS = 3;
  /** Schema default of {@code compression_algorithm}: gzip. */
  static final byte DEFAULT_ALGORITHM = 1;

  private ZtocSchema() {}
}
