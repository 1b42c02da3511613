package io.soci4j.registry.internal.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The parts of an OCI or Docker image config that soci4j reads. */
public record ConfigJson(String architecture, String os, String variant, RootFs rootfs) {
  /** The {@code rootfs} object. */
  public record RootFs(String type, @JsonProperty("diff_ids") List<String> diffIds) {}
}
