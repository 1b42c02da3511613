package io.soci4j.registry.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The registry fixtures fail, never skip, when a tool is missing. */
class CommandsTest {
  @Test
  void aMissingToolFailsWithHowToInstallIt() {
    assertThatThrownBy(() -> Commands.require("no-such-tool-soci4j", "SOCI4J_NO_SUCH_TOOL", "no-such-package"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("apt-get install -y no-such-package");
  }

  @Test
  void anInstalledToolPasses() {
    assertThat(Commands.require("sh", "SOCI4J_NO_SUCH_OVERRIDE", "dash")).isExecutable();
  }
}
