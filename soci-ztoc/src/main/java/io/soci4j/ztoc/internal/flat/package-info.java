/**
 * Reading flatbuffers with explicit bounds checks, for zTOC and zinfo blobs from untrusted
 * sources. Not API: may change without notice.
 */
package io.soci4j.ztoc.internal.flat;
