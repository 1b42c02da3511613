package io.soci4j.lambda.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import org.junit.jupiter.api.Test;

/** Upstream's filter globs (fnmatch) and the ECR hosts of each partition. */
class RulesTest {
  @Test
  void globsMatchTheWholeRepositoryAndTag() {
    TagFilters f = TagFilters.parse("prod/*:v*, app:1.?,lib:[!x]*");
    assertThat(f.match("prod/web", "v1.2")).isEqualTo("prod/*:v*");
    assertThat(f.match("prod/web", "latest")).isNull();
    assertThat(f.match("app", "1.0")).isEqualTo("app:1.?");
    assertThat(f.match("app", "1.10")).isNull();
    assertThat(f.match("lib", "a")).isEqualTo("lib:[!x]*");
    assertThat(f.match("lib", "xa")).isNull();
    assertThat(f.match("app.x", "1.0")).as("a dot is literal").isNull();
    assertThat(TagFilters.parse("").match("anything", "")).isEqualTo("*:*");
    assertThat(catchThrowable(() -> TagFilters.parse("a:*,,b:*"))).hasMessageContaining("empty filter");
  }

  @Test
  void ecrHostsOfEachPartition() {
    assertThat(EcrHosts.of("123456789012", "us-west-2", false)).isEqualTo("123456789012.dkr.ecr.us-west-2.amazonaws.com");
    assertThat(EcrHosts.of("123456789012", "us-east-1", true)).isEqualTo("123456789012.dkr.ecr-fips.us-east-1.amazonaws.com");
    assertThat(EcrHosts.of("123456789012", "cn-north-1", false)).isEqualTo("123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn");
    assertThat(EcrHosts.of("123456789012", "us-iso-east-1", false)).endsWith(".c2s.ic.gov");
    assertThat(EcrHosts.of("123456789012", "us-isob-east-1", false)).endsWith(".sc2s.sgov.gov");
    assertThat(EcrHosts.of("123456789012", "us-gov-west-1", false)).endsWith(".us-gov-west-1.amazonaws.com");
  }
}
