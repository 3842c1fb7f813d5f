package org.longitude.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.util.MimeTypes;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.longitude.common.PathStyleS3ClientBuilderFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * A real S3 server in this JVM (s3proxy over an in-memory blob store) on 127.0.0.1 and an
 * ephemeral port, with SigV4 authentication; and the Beam options that reach it, as a
 * deployment would give them (region, endpoint, path-style addressing, credentials).
 */
public final class S3Server implements AutoCloseable {
  private static final String ACCESS_KEY = "longitude-test";
  private static final String SECRET_KEY = "longitude-test-secret";
  private final BlobStoreContext store;
  private final S3Proxy proxy;

  private S3Server(BlobStoreContext store, S3Proxy proxy) {
    this.store = store;
    this.proxy = proxy;
  }

  /** Starts the server with the given buckets. */
  public static S3Server start(String... buckets) throws Exception {
    BlobStoreContext store = ContextBuilder.newBuilder("transient")
        .credentials("identity", "credential").build(BlobStoreContext.class);
    for (String bucket : buckets) {
      store.getBlobStore().createContainerInLocation(null, bucket);
    }
    S3Proxy proxy = S3Proxy.builder().blobStore(store.getBlobStore())
        .endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
        // Beam sends x-amz-server-side-encryption-bucket-key-enabled, which s3proxy does not
        // implement; S3-compatible stores ignore it when they have no bucket keys.
        .ignoreUnknownHeaders(true)
        .build();
    proxy.start();
    for (int i = 0; i < 500 && !"STARTED".equals(proxy.getState()); i++) {
      Thread.sleep(10);
    }
    return new S3Server(store, proxy);
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + proxy.getPort());
  }

  /** {@code options} set to reach this server, and registered with Beam's file systems. */
  public <T extends PipelineOptions> T configure(T options) {
    S3Options s3 = options.as(S3Options.class);
    s3.setAwsRegion(Region.US_EAST_1);
    s3.setEndpoint(endpoint());
    s3.setAwsCredentialsProvider(StaticCredentialsProvider.create(
        AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)));
    s3.setS3ClientFactoryClass(PathStyleS3ClientBuilderFactory.class);
    FileSystems.setDefaultPipelineOptions(options);
    return options;
  }

  /** Uploads a local file to a URL through Beam's file systems. */
  public static void upload(Path file, String url) throws IOException {
    try (InputStream in = Files.newInputStream(file);
        OutputStream out = Channels.newOutputStream(FileSystems.create(
            FileSystems.matchNewResource(url, false), MimeTypes.BINARY))) {
      in.transferTo(out);
    }
  }

  @Override
  public void close() throws Exception {
    proxy.stop();
    store.close();
  }
}
