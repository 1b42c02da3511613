package io.soci4j.registry.internal.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** Wire form of a platform in an image index. */
@JsonPropertyOrder({"architecture", "os", "os.version", "os.features", "variant", "features"})
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record PlatformJson(
    String architecture,
    String os,
    @JsonProperty("os.version") String osVersion,
    @JsonProperty("os.features") List<String> osFeatures,
    String variant,
    List<String> features) {}
