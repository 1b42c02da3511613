/** Internals shared by the soci4j modules; not an API: may change in any release. */
package io.soci4j.api.internal;
