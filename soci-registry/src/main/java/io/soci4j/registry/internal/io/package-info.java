/** Checking content against its descriptor, for the registry client and the stores alike. */
package io.soci4j.registry.internal.io;
