package io.soci4j.lambda.internal;

/**
 * The registry host of an account's private ECR in a region: {@code
 * <account>.dkr.ecr[-fips].<region>.<partition's DNS suffix>}, the hosts soci-registry's ECR
 * credentials recognise (China {@code amazonaws.com.cn}, the ISO partitions, the EU sovereign
 * cloud, GovCloud and the commercial regions {@code amazonaws.com}).
 */
public final class EcrHosts {
  private EcrHosts() {}

  /**
   * @param account the 12-digit account
   * @param region the region, e.g. {@code us-east-1}
   * @param fips whether to use the FIPS endpoint ({@code dkr.ecr-fips})
   * @return the host
   */
  public static String of(String account, String region, boolean fips) {
    return account + ".dkr.ecr" + (fips ? "-fips" : "") + "." + region + "." + dnsSuffix(region);
  }

  static String dnsSuffix(String region) {
    if (region.startsWith("cn-")) {
      return "amazonaws.com.cn";
    }
    if (region.startsWith("us-isob-")) {
      return "sc2s.sgov.gov";
    }
    if (region.startsWith("us-iso-")) {
      return "c2s.ic.gov";
    }
    if (region.startsWith("eu-isoe-")) {
      return "cloud.adc-e.uk";
    }
    if (region.startsWith("us-isof-")) {
      return "csp.hci.ic.gov";
    }
    if (region.startsWith("eusc-")) {
      return "amazonaws.eu";
    }
    return "amazonaws.com";
  }
}
