package io.soci4j.lambda.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An EventBridge {@code ECR Image Action} event, validated as upstream's SOCI Index Builder
 * validates it: source {@code aws.ecr}, detail-type {@code ECR Image Action}, action-type {@code
 * PUSH}, result {@code SUCCESS}, a 12-digit account, a repository name and an image digest of the
 * distribution spec's grammar, an optional tag of its grammar.
 *
 * @param account the AWS account
 * @param region the region
 * @param repository the repository name
 * @param digest the pushed manifest's digest
 * @param tag the pushed tag, empty for an untagged push
 * @param mediaType the pushed manifest's media type when the event says it, else empty
 * @param artifactType the pushed artifact's media type when the event says it, else empty
 */
public record PushEvent(String account, String region, String repository, String digest, String tag,
    String mediaType, String artifactType) {
  private static final Pattern ACCOUNT = Pattern.compile("[0-9]{12}");
  private static final Pattern REPOSITORY =
      Pattern.compile("(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*");
  private static final Pattern DIGEST = Pattern.compile("[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[A-Fa-f0-9]{32,}");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(?:-[a-z]+)+-[0-9]+");

  /** The event could not be used; the message lists every problem. */
  public static final class InvalidEventException extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidEventException(String message) {
      super(message);
    }
  }

  /**
   * Validates an event.
   *
   * @param event the event's JSON
   * @return the event
   * @throws InvalidEventException naming every field that is wrong
   */
  public static PushEvent of(JsonNode event) throws InvalidEventException {
    List<String> problems = new ArrayList<>();
    if (event == null || !event.isObject()) {
      throw new InvalidEventException("the event is not a JSON object");
    }
    JsonNode detail = event.path("detail");
    expect(problems, event, "source", "aws.ecr");
    expect(problems, event, "detail-type", "ECR Image Action");
    expect(problems, detail, "action-type", "PUSH", "detail.");
    expect(problems, detail, "result", "SUCCESS", "detail.");
    String account = text(event, "account");
    if (!ACCOUNT.matcher(account).matches()) {
      problems.add("'account' must be a 12-digit AWS account ID, got '" + account + "'");
    }
    String region = text(event, "region");
    if (!REGION.matcher(region).matches()) {
      problems.add("'region' must be an AWS region, got '" + region + "'");
    }
    String repository = text(detail, "repository-name");
    if (!REPOSITORY.matcher(repository).matches()) {
      problems.add("'detail.repository-name' must be a valid repository name, got '" + repository + "'");
    }
    String digest = text(detail, "image-digest");
    if (!DIGEST.matcher(digest).matches()) {
      problems.add("'detail.image-digest' must be a valid image digest, got '" + digest + "'");
    }
    String tag = text(detail, "image-tag");
    if (!tag.isEmpty() && !TAG.matcher(tag).matches()) {
      problems.add("'detail.image-tag' must be empty or a valid image tag, got '" + tag + "'");
    }
    if (!problems.isEmpty()) {
      throw new InvalidEventException("not an ECR image push to index: " + String.join("; ", problems));
    }
    return new PushEvent(account, region, repository, digest, tag, text(detail, "manifest-media-type"),
        text(detail, "artifact-media-type"));
  }

  private static void expect(List<String> problems, JsonNode node, String field, String value) {
    expect(problems, node, field, value, "");
  }

  private static void expect(List<String> problems, JsonNode node, String field, String value, String prefix) {
    String actual = text(node, field);
    if (!actual.equals(value)) {
      problems.add("'" + prefix + field + "' must be '" + value + "', got '" + actual + "'");
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || !v.isTextual() ? "" : v.asText();
  }
}
