/** HTTP side of the registry client: one small class per operation, and the one caller. */
package io.soci4j.registry.internal.http;
