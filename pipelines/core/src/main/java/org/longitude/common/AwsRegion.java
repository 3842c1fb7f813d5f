package org.longitude.common;

import java.util.Optional;
import org.apache.beam.sdk.io.aws2.options.AwsOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.regions.providers.SystemSettingsRegionProvider;

/**
 * The AWS region Beam's S3 file system is built with, resolved without the network. Beam
 * registers that file system for every pipeline, and without a configured region the AWS
 * SDK asks the EC2 instance metadata service (169.254.169.254) — a network call, and seconds
 * of timeouts off EC2, even for runs that never touch S3. So the region comes from
 * {@code --awsRegion}, {@code AWS_REGION} (or {@code aws.region}) or the AWS profile, else a
 * fixed placeholder: runs on {@code s3://} must configure it (README, "Outputs on S3 or
 * HDFS").
 */
public final class AwsRegion {
  /** Used when nothing is configured; only matters for runs that do not use S3. */
  static final Region PLACEHOLDER = Region.US_EAST_1;

  private AwsRegion() {}

  /**
   * Sets the options' region explicitly (so workers get it too), resolving a default only
   * from local settings.
   */
  public static void resolveLocally(PipelineOptions options) {
    if (configured().isEmpty()) {
      // The SDK's own lookup reads this property first: the metadata service is never asked.
      System.setProperty("aws.region", PLACEHOLDER.id());
    }
    AwsOptions aws = options.as(AwsOptions.class);
    aws.setAwsRegion(aws.getAwsRegion());
  }

  /** The region from the environment, system properties or the AWS profile, if any. */
  static Optional<Region> configured() {
    try {
      return Optional.of(new SystemSettingsRegionProvider().getRegion());
    } catch (RuntimeException notSet) {
      try {
        return Optional.of(new AwsProfileRegionProvider().getRegion());
      } catch (RuntimeException alsoNotSet) {
        return Optional.empty();
      }
    }
  }
}
