package io.soci4j.registry.layout.internal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The part of an OCI descriptor that the stores read from manifests ({@code config},
 * {@code subject}, entries of {@code manifests}). Wire DTO, kept apart from
 * {@link io.soci4j.api.Descriptor}.
 *
 * @param mediaType media type, or null when absent
 * @param digest digest text, or null when absent
 * @param size size in bytes, or null when absent
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ContentRef(String mediaType, String digest, Long size) {}
