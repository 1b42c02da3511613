package io.soci4j.registry.testing;

import java.util.List;
import java.util.Map;

/**
 * A request one of the test servers received.
 *
 * @param method the method
 * @param path the path and query
 * @param headers the headers, names lowercased
 */
public record RecordedRequest(String method, String path, Map<String, List<String>> headers) {

  /**
   * @param name a header name, any case
   * @return its first value, or null
   */
  public String header(String name) {
    List<String> v = headers.get(name.toLowerCase(java.util.Locale.ROOT));
    return v == null || v.isEmpty() ? null : v.get(0);
  }
}
