package io.soci4j.registry.internal.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/** Wire form of an OCI content descriptor (image-spec descriptor.md); unknown fields ignored. */
@JsonPropertyOrder({"mediaType", "digest", "size", "urls", "annotations", "data", "platform", "artifactType"})
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record DescriptorJson(
    String mediaType,
    String digest,
    @JsonInclude(JsonInclude.Include.ALWAYS) Long size,
    List<String> urls,
    Map<String, String> annotations,
    String data,
    PlatformJson platform,
    String artifactType) {}
