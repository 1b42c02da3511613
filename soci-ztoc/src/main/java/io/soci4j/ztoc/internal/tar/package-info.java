/** Tar text handling shared by the tar reader and the zTOC codec. Not API. */
package io.soci4j.ztoc.internal.tar;
