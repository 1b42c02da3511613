package io.soci4j.registry.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Scope parsing (names may hold host:port) and merging for token requests. */
class ScopeSetTest {

  @Test
  void parsesNamesWithColonsAndDropsTheResourceClass() {
    Scope s = Scope.parse("repository(plugin):localhost:5000/app:pull,push");
    assertThat(s.type()).isEqualTo("repository");
    assertThat(s.name()).isEqualTo("localhost:5000/app");
    assertThat(s.actions()).containsExactly("pull", "push");
    assertThat(Scope.parse("registry:catalog:*").toString()).isEqualTo("registry:catalog:*");
    assertThat(Scope.parse("nonsense")).isNull();
  }

  @Test
  void mergesActionsPerResourceKeepingTheNeededScopesFirst() {
    ScopeSet needed = ScopeSet.of(Scope.pullPush("dest"), Scope.pull("src"));
    ScopeSet merged = needed.merge(ScopeSet.parse("repository:src:push repository:other:pull"));
    assertThat(merged.params()).containsExactly("repository:dest:pull,push", "repository:src:pull,push",
        "repository:other:pull");
  }

  @Test
  void keyIgnoresOrder() {
    assertThat(ScopeSet.of(Scope.pull("a"), Scope.pull("b")).key())
        .isEqualTo(ScopeSet.of(Scope.pull("b"), Scope.pull("a")).key());
    assertThat(ScopeSet.of(Scope.pull("a")).key()).isNotEqualTo(ScopeSet.of(Scope.pullPush("a")).key());
  }
}
