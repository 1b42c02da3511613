package io.soci4j.registry.internal.model;

import io.soci4j.api.Descriptor;
import io.soci4j.api.Digest;
import io.soci4j.api.Platform;
import io.soci4j.registry.InvalidManifestException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Converts descriptors between the wire form and {@link Descriptor}, validating required fields. */
public final class DescriptorMapping {
  private DescriptorMapping() {}

  /**
   * @param json the wire descriptor, may be null
   * @param field where it is, e.g. "layers[2]"
   * @param what the document, for messages
   * @return the descriptor, or null when {@code json} is null
   * @throws InvalidManifestException when a required field is missing or invalid
   */
  public static Descriptor toDescriptor(DescriptorJson json, String field, String what)
      throws InvalidManifestException {
    if (json == null) {
      return null;
    }
    if (json.mediaType() == null || json.mediaType().isEmpty()) {
      throw new InvalidManifestException(what, field + ".mediaType is missing");
    }
    if (json.size() == null || json.size() < 0) {
      throw new InvalidManifestException(what, field + ".size is missing or negative");
    }
    Digest digest;
    try {
      digest = Digest.parse(json.digest());
    } catch (IllegalArgumentException e) {
      throw new InvalidManifestException(what, field + ".digest: " + e.getMessage(), e);
    }
    Platform platform = null;
    PlatformJson p = json.platform();
    if (p != null) {
      if (p.os() == null || p.os().isEmpty() || p.architecture() == null || p.architecture().isEmpty()) {
        throw new InvalidManifestException(what, field + ".platform needs os and architecture");
      }
      platform = new Platform(p.os(), p.architecture(), p.variant(), p.osVersion(), p.osFeatures());
    }
    return new Descriptor(json.mediaType(), digest, json.size(), orEmpty(json.annotations()), json.artifactType(),
        platform, json.urls() == null ? List.of() : json.urls(), json.data());
  }

  /**
   * @param list wire descriptors, may be null
   * @param field the field name, e.g. "layers"
   * @param what the document, for messages
   * @return the descriptors; empty when the list is null
   * @throws InvalidManifestException when one is invalid
   */
  public static List<Descriptor> toDescriptors(List<DescriptorJson> list, String field, String what)
      throws InvalidManifestException {
    List<Descriptor> out = new ArrayList<>();
    if (list != null) {
      for (int i = 0; i < list.size(); i++) {
        DescriptorJson d = list.get(i);
        if (d == null) {
          throw new InvalidManifestException(what, field + "[" + i + "] is null");
        }
        out.add(toDescriptor(d, field + "[" + i + "]", what));
      }
    }
    return out;
  }

  /**
   * @param d a descriptor, may be null
   * @return its wire form, or null
   */
  public static DescriptorJson toJson(Descriptor d) {
    if (d == null) {
      return null;
    }
    Platform p = d.platform();
    PlatformJson platform = p == null ? null
        : new PlatformJson(p.architecture(), p.os(), p.osVersion().isEmpty() ? null : p.osVersion(),
            p.osFeatures(), p.variant().isEmpty() ? null : p.variant(), null);
    return new DescriptorJson(d.mediaType(), d.digest().toString(), d.size(), d.urls(), d.annotations(),
        d.data().isEmpty() ? null : d.data(), platform, d.artifactType().isEmpty() ? null : d.artifactType());
  }

  /**
   * @param list descriptors
   * @return their wire forms
   */
  public static List<DescriptorJson> toJson(List<Descriptor> list) {
    return list.stream().map(DescriptorMapping::toJson).toList();
  }

  static Map<String, String> orEmpty(Map<String, String> m) {
    if (m == null) {
      return Map.of();
    }
    for (Map.Entry<String, String> e : m.entrySet()) {
      if (e.getValue() == null) {
        Map<String, String> copy = new java.util.TreeMap<>(m);
        copy.values().removeIf(java.util.Objects::isNull);
        return copy;
      }
    }
    return m;
  }
}
