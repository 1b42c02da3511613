package io.soci4j.ztoc.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Where the shared test data is looked for: {@code SOCI4J_SHARED_TESTDATA} overrides the build's
 * default (the surefire configuration only sets the default), and the property sits between.
 */
class GoldenVectorsLocationTest {
  @Test
  void theEnvironmentVariableWinsOverThePropertyAndTheBuildDefault() {
    assertThat(GoldenVectors.root("/env", "/prop", "/default")).containsExactly("/env", "SOCI4J_SHARED_TESTDATA");
    assertThat(GoldenVectors.root(null, "/prop", "/default")[0]).isEqualTo("/prop");
    assertThat(GoldenVectors.root("", null, "/default")[0]).isEqualTo("/default");
    assertThat(GoldenVectors.root(null, null, null)[1]).contains("default");
  }

  @Test
  void theBuildPassesOnlyTheDefault() {
    assertThat(System.getProperty("soci4j.shared.testdata.default")).as("set by the root pom").isNotBlank();
    assertThat(GoldenVectors.dir()).exists();
  }
}
