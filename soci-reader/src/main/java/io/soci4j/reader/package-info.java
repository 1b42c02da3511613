/**
 * Reading images through their SOCI index without pulling them: {@link
 * io.soci4j.reader.SociImage} (open, stat, list, read, pull, extract, stats), its options, the
 * pluggable {@link io.soci4j.reader.SpanCache}, and the exceptions with their context.
 */
package io.soci4j.reader;
