/**
 * The {@code soci:} {@link java.nio.file.spi.FileSystemProvider}: images as read-only file
 * systems ({@link io.soci4j.reader.nio.SociFileSystemProvider}).
 */
package io.soci4j.reader.nio;
