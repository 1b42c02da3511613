package io.soci4j.registry.layout;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The interop fixtures fail, never skip, when a tool is missing. */
class ExternalToolsTest {
  @Test
  void aMissingToolFailsWithHowToInstallIt() {
    assertThatThrownBy(() -> ExternalTools.require(Path.of("/usr/bin/no-such-tool-soci4j"), "no-such-package"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("apt-get install -y no-such-package");
  }

  @Test
  void anInstalledToolPasses() {
    assertThatCode(() -> ExternalTools.require(Path.of("/bin/sh"), "dash")).doesNotThrowAnyException();
  }
}
