/**
 * Reading tar streams the way upstream soci-snapshotter does (Go's {@code archive/tar} behind
 * {@code ztoc.metadataFromTarReader}): {@link io.soci4j.ztoc.internal.tar.TarTocParser} turns
 * uncompressed tar bytes, pushed in chunks, into {@link io.soci4j.ztoc.TocEntry} values, and
 * {@link io.soci4j.ztoc.internal.tar.TarText} keeps non-UTF-8 names byte-exact. Not API: the
 * package may change without notice.
 */
package io.soci4j.ztoc.internal.tar;
