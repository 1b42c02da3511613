package io.soci4j.registry.internal.auth;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An ordered set of scopes, one per resource, actions merged. Order matters for token servers
 * that read only the first {@code scope} parameter: scopes the request needs come first. The
 * {@link #key()} is order-independent, for token caching.
 *
 * @param scopes the scopes, one per (type, name)
 */
public record ScopeSet(List<Scope> scopes) {

  /** No scopes. */
  public static final ScopeSet EMPTY = new ScopeSet(List.of());

  /**
   * Copies.
   *
   * @param scopes see the record component
   */
  public ScopeSet {
    scopes = List.copyOf(scopes);
  }

  /**
   * @param scopes scopes, possibly several per resource
   * @return the set with actions merged per resource, in first-seen order
   */
  public static ScopeSet of(Scope... scopes) {
    return EMPTY.merge(List.of(scopes));
  }

  /**
   * Parses the {@code scope} parameter of a challenge: space-separated scopes.
   *
   * @param param the parameter, may be null
   * @return the scopes; empty for null
   */
  public static ScopeSet parse(String param) {
    if (param == null || param.isBlank()) {
      return EMPTY;
    }
    List<Scope> out = new ArrayList<>();
    for (String s : param.trim().split("\\s+")) {
      Scope scope = Scope.parse(s);
      if (scope != null) {
        out.add(scope);
      }
    }
    return EMPTY.merge(out);
  }

  /**
   * @param more scopes to add
   * @return this set followed by the new resources, actions merged
   */
  public ScopeSet merge(List<Scope> more) {
    Map<String, Scope> byResource = new LinkedHashMap<>();
    for (Scope s : scopes) {
      byResource.merge(s.type() + ":" + s.name(), s, (a, b) -> a.withActions(b.actions()));
    }
    for (Scope s : more) {
      byResource.merge(s.type() + ":" + s.name(), s, (a, b) -> a.withActions(b.actions()));
    }
    return new ScopeSet(new ArrayList<>(byResource.values()));
  }

  /**
   * @param other scopes to add
   * @return the merged set
   */
  public ScopeSet merge(ScopeSet other) {
    return merge(other.scopes);
  }

  /** {@return the scopes as {@code scope} parameter values, in order} */
  public List<String> params() {
    return scopes.stream().map(Scope::toString).toList();
  }

  /** {@return a canonical, order-independent form for cache keys} */
  public String key() {
    return String.join(" ", params().stream().sorted().toList());
  }

  /** {@return whether there are no scopes} */
  public boolean isEmpty() {
    return scopes.isEmpty();
  }
}
