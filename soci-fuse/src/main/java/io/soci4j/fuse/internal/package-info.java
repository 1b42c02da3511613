/** Internals of soci-fuse: the FUSE operations and mount bookkeeping. Not an API. */
package io.soci4j.fuse.internal;
