package org.longitude.common;

import org.apache.beam.sdk.io.aws2.options.S3ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.aws2.s3.DefaultS3ClientBuilderFactory;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Beam's S3 client with path-style addressing ({@code https://host/bucket/key}), for
 * S3-compatible stores (MinIO, Ceph, s3proxy) whose endpoint has no per-bucket host names.
 * Chosen with the Beam option
 * {@code --s3ClientFactoryClass=org.longitude.common.PathStyleS3ClientBuilderFactory}; region,
 * endpoint and credentials stay Beam's ({@code --awsRegion}, {@code --endpoint}, the AWS
 * default provider chain).
 */
public final class PathStyleS3ClientBuilderFactory implements S3ClientBuilderFactory {
  @Override
  public S3ClientBuilder createBuilder(S3Options options) {
    return new DefaultS3ClientBuilderFactory().createBuilder(options).forcePathStyle(true);
  }
}
