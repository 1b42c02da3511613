package io.soci4j.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.soci4j.api.Digest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Parsing and normalization follow distribution/reference and the docker CLI. */
class ImageReferenceTest {
  private static final String D = "sha256:" + "a".repeat(64);

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      ubuntu                              | docker.io       | library/ubuntu     | latest  | -
      ubuntu:22.04                        | docker.io       | library/ubuntu     | 22.04   | -
      library/ubuntu                      | docker.io       | library/ubuntu     | latest  | -
      docker.io/ubuntu                    | docker.io       | library/ubuntu     | latest  | -
      index.docker.io/ubuntu:1            | docker.io       | library/ubuntu     | 1       | -
      index.docker.io/foo/bar             | docker.io       | foo/bar            | latest  | -
      foo/bar/baz                         | docker.io       | foo/bar/baz        | latest  | -
      localhost/app                       | localhost       | app                | latest  | -
      localhost:5000/app:v1               | localhost:5000  | app                | v1      | -
      127.0.0.1:5000/a/b/c:t              | 127.0.0.1:5000  | a/b/c              | t       | -
      ghcr.io/owner/app:1.0.0-rc.1        | ghcr.io         | owner/app          | 1.0.0-rc.1 | -
      Registry.local/app                  | Registry.local  | app                | latest  | -
      [::1]:5000/app:tag                  | [::1]:5000      | app                | tag     | -
      [2001:db8::1]/app                   | [2001:db8::1]   | app                | latest  | -
      my-registry.example.com:443/x__y.z-w | my-registry.example.com:443 | x__y.z-w | latest | -
      a---b/c                             | docker.io       | a---b/c            | latest  | -
      localhost:5000                      | docker.io       | library/localhost  | 5000    | -
      123456789012.dkr.ecr.us-east-1.amazonaws.com/app:v2 | 123456789012.dkr.ecr.us-east-1.amazonaws.com | app | v2 | -
      """)
  void parsesAndNormalizesTags(String text, String registry, String repository, String tag, String digest) {
    ImageReference ref = ImageReference.parse(text);
    assertThat(ref.registry()).isEqualTo(registry);
    assertThat(ref.repository()).isEqualTo(repository);
    assertThat(ref.tag()).contains(tag);
    assertThat(ref.digest()).isEmpty();
    assertThat(ImageReference.parse(ref.toString())).isEqualTo(ref);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      ubuntu@DIGEST                         | docker.io      | library/ubuntu
      ubuntu:22.04@DIGEST                   | docker.io      | library/ubuntu
      localhost:5000/app:v1@DIGEST          | localhost:5000 | app
      [::1]:5000/app@DIGEST                 | [::1]:5000     | app
      """)
  void digestWinsOverTag(String text, String registry, String repository) {
    ImageReference ref = ImageReference.parse(text.replace("DIGEST", D));
    assertThat(ref.registry()).isEqualTo(registry);
    assertThat(ref.repository()).isEqualTo(repository);
    assertThat(ref.digest()).contains(Digest.parse(D));
    assertThat(ref.tag()).isEmpty();
    assertThat(ref.reference()).isEqualTo(D);
    assertThat(ref.toString()).isEqualTo(registry + "/" + repository + "@" + D);
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @CsvSource(delimiter = '|', textBlock = """
      ''                                 | it is empty
      ':tag'                             | the repository name is empty
      'Ubuntu'                           | repository names must be lowercase
      'UPPER/case'                       | has capitals but no
      'docker.io/Library/ubuntu'         | repository names must be lowercase
      'foo//bar'                         | invalid repository 'foo//bar'
      'foo/bar/'                         | invalid repository
      '-foo/bar'                         | invalid repository
      'foo/bar:'                         | invalid tag '' in 'foo/bar:': it is empty
      'foo/bar:.tag'                     | invalid tag '.tag'
      'foo/bar:t@g'                      | invalid digest 'g'
      'foo/bar@sha256:abc'               | invalid digest 'sha256:abc'
      'foo/bar@sha512:00000000000000000000000000000000000000000000000000000000000000000000000000000000' | unsupported digest algorithm 'sha512'
      'foo/bar@sha256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' | want 64 lowercase hex
      'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' | a 64-character hex string is not a repository name
      'exa_mple.com:5000/app'            | invalid registry 'exa_mple.com:5000'
      'host:port/app'                    | invalid registry 'host:port'
      """)
  void rejectsInvalidReferencesSayingWhy(String text, String why) {
    assertThatThrownBy(() -> ImageReference.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(why);
  }

  @Test
  void credentialsInAReferenceAreRefusedWithoutBeingRepeated() {
    for (String text : List.of("user:s3cr3t-pw@registry.example.com/app:1", "user:s3cr3t-pw@localhost:5000/app",
        "s3cr3t-pw@ghcr.io/o/app@sha256:" + "a".repeat(64))) {
      assertThatThrownBy(() -> ImageReference.parse(text)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("credentials").hasMessageNotContaining("s3cr3t");
    }
  }

  @Test
  void tagOf128CharactersIsTheLimit() {
    String ok = "t".repeat(128);
    assertThat(ImageReference.parse("app:" + ok).tag()).contains(ok);
    assertThatThrownBy(() -> ImageReference.parse("app:" + ok + "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("129 characters, at most 128 allowed");
  }

  @Test
  void nameOf255CharactersIsTheLimit() {
    String registry = "r.io";
    String path = "a".repeat(255 - registry.length() - 1);
    assertThat(ImageReference.parse(registry + "/" + path).repository()).isEqualTo(path);
    assertThatThrownBy(() -> ImageReference.parse(registry + "/" + path + "b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("256 characters, at most 255 allowed");
  }

  @Test
  void apiHostOfDockerHubIsRegistry1() {
    assertThat(ImageReference.parse("ubuntu").apiHost()).isEqualTo("registry-1.docker.io");
    assertThat(ImageReference.parse("ghcr.io/a/b").apiHost()).isEqualTo("ghcr.io");
  }

  @Test
  void withTagAndWithDigestSwitchTheReference() {
    ImageReference ref = ImageReference.parse("localhost:5000/app:v1");
    ImageReference byDigest = ref.withDigest(Digest.parse(D));
    assertThat(byDigest.toString()).isEqualTo("localhost:5000/app@" + D);
    assertThat(byDigest.withTag("v2").toString()).isEqualTo("localhost:5000/app:v2");
    assertThatThrownBy(() -> ref.withTag("bad tag")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void ofNormalizesLikeParse() {
    assertThat(ImageReference.of("index.docker.io", "busybox", "1", null))
        .isEqualTo(ImageReference.parse("busybox:1"));
    assertThatThrownBy(() -> ImageReference.of("r.io", "app", null, null))
        .hasMessageContaining("needs a tag or a digest");
  }
}
