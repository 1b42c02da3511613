package io.soci4j.registry.internal.auth;

import java.util.Collection;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One token scope, {@code type:name:action[,action]} (distribution {@code scope.md}), e.g.
 * {@code repository:app:pull,push}. The name may contain {@code host:port}, so parsing splits off
 * the type at the first colon and the actions at the last. A resource class
 * ({@code repository(plugin)}) is dropped, as registries ignore it.
 *
 * @param type resource type, e.g. {@code repository}
 * @param name resource name, e.g. {@code library/ubuntu}
 * @param actions the actions, sorted
 */
public record Scope(String type, String name, SortedSet<String> actions) {

  /**
   * Validates and copies.
   *
   * @param type see the record component
   * @param name see the record component
   * @param actions see the record component
   */
  public Scope {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(name, "name");
    actions = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(actions));
  }

  /**
   * @param repository a repository name
   * @return {@code repository:<name>:pull}
   */
  public static Scope pull(String repository) {
    return new Scope("repository", repository, new TreeSet<>(java.util.List.of("pull")));
  }

  /**
   * @param repository a repository name
   * @return {@code repository:<name>:pull,push}
   */
  public static Scope pullPush(String repository) {
    return new Scope("repository", repository, new TreeSet<>(java.util.List.of("pull", "push")));
  }

  /**
   * Parses one scope.
   *
   * @param text e.g. {@code repository:localhost:5000/app:pull,push}
   * @return the scope, or null when the text has fewer than three parts
   */
  public static Scope parse(String text) {
    int first = text.indexOf(':');
    int last = text.lastIndexOf(':');
    if (first <= 0 || last <= first) {
      return null;
    }
    String type = text.substring(0, first);
    int paren = type.indexOf('(');
    if (paren > 0) {
      type = type.substring(0, paren);
    }
    TreeSet<String> actions = new TreeSet<>();
    for (String a : text.substring(last + 1).split(",")) {
      if (!a.isBlank()) {
        actions.add(a.trim());
      }
    }
    return new Scope(type, text.substring(first + 1, last), actions);
  }

  /**
   * @param more actions to add
   * @return a scope on the same resource with the union of actions
   */
  public Scope withActions(Collection<String> more) {
    TreeSet<String> all = new TreeSet<>(actions);
    all.addAll(more);
    return new Scope(type, name, all);
  }

  /** {@return {@code type:name:actions}} */
  @Override
  public String toString() {
    return type + ":" + name + ":" + String.join(",", actions);
  }
}
