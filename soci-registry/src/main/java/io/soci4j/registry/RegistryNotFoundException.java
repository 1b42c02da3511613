package io.soci4j.registry;

import io.soci4j.api.ContentNotFoundException;
import java.util.List;
import java.util.Objects;

/**
 * The registry answered 404: the manifest, blob, tag or repository does not exist (or, on some
 * registries, the caller may not see it). Carries the request and the registry's OCI
 * {@code errors[]} like {@link RegistryException}.
 */
public class RegistryNotFoundException extends ContentNotFoundException {
  private static final long serialVersionUID = 1L;
  private final RegistryCall call;
  private final List<RegistryError> errors;

  /**
   * @param what what was looked for, e.g. "manifest latest in localhost:5000/app"
   * @param call the request
   * @param errors the registry's errors; empty when the body had none
   */
  public RegistryNotFoundException(String what, RegistryCall call, List<RegistryError> errors) {
    super(what);
    this.call = Objects.requireNonNull(call, "call");
    this.errors = List.copyOf(errors);
  }

  /** {@return what was looked for, then the request and the registry's errors} */
  @Override
  public String getMessage() {
    return what() + " not found: " + call + " returned HTTP 404" + (errors.isEmpty() ? "" : " " + errors);
  }

  /** {@return the request} */
  public RegistryCall call() {
    return call;
  }

  /** {@return always 404} */
  public int status() {
    return 404;
  }

  /** {@return the registry's errors; empty when none} */
  public List<RegistryError> errors() {
    return errors;
  }
}
