/** An image mounted read-only with FUSE: {@link io.soci4j.fuse.SociMount}. */
package io.soci4j.fuse;
