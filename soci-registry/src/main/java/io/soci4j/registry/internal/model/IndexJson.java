package io.soci4j.registry.internal.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/** Wire form of an OCI image index or a Docker manifest list. */
@JsonPropertyOrder({"schemaVersion", "mediaType", "artifactType", "manifests", "subject", "annotations"})
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record IndexJson(
    @JsonInclude(JsonInclude.Include.ALWAYS) Integer schemaVersion,
    String mediaType,
    String artifactType,
    @JsonInclude(JsonInclude.Include.ALWAYS) List<DescriptorJson> manifests,
    DescriptorJson subject,
    Map<String, String> annotations) {}
