package io.soci4j.registry.internal.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/** Wire form of an OCI image manifest or a Docker schema 2 manifest. */
@JsonPropertyOrder({"schemaVersion", "mediaType", "artifactType", "config", "layers", "subject", "annotations"})
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ManifestJson(
    @JsonInclude(JsonInclude.Include.ALWAYS) Integer schemaVersion,
    String mediaType,
    String artifactType,
    DescriptorJson config,
    @JsonInclude(JsonInclude.Include.ALWAYS) List<DescriptorJson> layers,
    DescriptorJson subject,
    Map<String, String> annotations) {}
