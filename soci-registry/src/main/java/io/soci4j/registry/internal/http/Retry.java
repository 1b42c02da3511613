package io.soci4j.registry.internal.http;

/** Whether a request may be sent again after a failure. */
public enum Retry {
  /** Idempotent (GET, HEAD, manifest PUT): retried on 429, 5xx and transport failures. */
  IDEMPOTENT,
  /**
   * Not idempotent, but safe to repeat when the server did not act on it (starting an upload: a
   * repeated POST only leaves an unused session behind): retried on 429, 502, 503, 504 and on
   * failures to connect.
   */
  IF_NOT_PROCESSED,
  /** Never retried by the caller (upload PATCH/PUT: the uploader restarts the whole upload instead). */
  NEVER
}
