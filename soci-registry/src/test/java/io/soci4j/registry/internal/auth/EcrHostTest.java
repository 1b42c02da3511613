package io.soci4j.registry.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** ECR host recognition across partitions, with region and FIPS flag. */
class EcrHostTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      123456789012.dkr.ecr.us-east-1.amazonaws.com                | us-east-1      | false
      123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com       | us-gov-west-1  | true
      123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn            | cn-north-1     | false
      123456789012.dkr-ecr.eu-west-1.on.aws                       | eu-west-1      | false
      123456789012.dkr.ecr.us-iso-east-1.c2s.ic.gov               | us-iso-east-1  | false
      123456789012.dkr.ecr.eusc-de-east-1.amazonaws.eu            | eusc-de-east-1 | false
      https://123456789012.dkr.ecr.ap-south-1.amazonaws.com/v2/   | ap-south-1     | false
      123456789012.dkr.ecr.us-west-2.amazonaws.com:443            | us-west-2      | false
      """)
  void recognizesEcrHosts(String host, String region, boolean fips) {
    assertThat(EcrHost.parse(host)).hasValueSatisfying(h -> {
      assertThat(h.account()).isEqualTo("123456789012");
      assertThat(h.region()).isEqualTo(region);
      assertThat(h.fips()).isEqualTo(fips);
    });
  }

  @ParameterizedTest
  @ValueSource(strings = {"public.ecr.aws", "docker.io", "12345.dkr.ecr.us-east-1.amazonaws.com",
      "123456789012.dkr.ecr.us-east-1.amazonaws.com.evil.com", "localhost:5000"})
  void ignoresOtherHosts(String host) {
    assertThat(EcrHost.parse(host)).isEmpty();
  }
}
