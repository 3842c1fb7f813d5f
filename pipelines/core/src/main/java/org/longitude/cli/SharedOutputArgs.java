package org.longitude.cli;

import org.apache.beam.sdk.options.PipelineOptions;
import org.longitude.config.Study;
import org.longitude.pipeline.SharedOutput;
import picocli.CommandLine.Option;

/** {@code --shared-output URL} for the commands that run a study. */
final class SharedOutputArgs {
  @Option(names = "--shared-output", paramLabel = "URL",
      description = "Write the data the workers produce (research tables, landing, quarantine) "
          + "to shared storage every worker reaches, e.g. s3://bucket/prefix or "
          + "hdfs://namenode:8020/path, instead of the output folder, which keeps the lock, "
          + "run history, state, summaries and report. Publishing writes research/LATEST "
          + "there. S3 region, endpoint and credentials come from the AWS environment or "
          + "Beam's --awsRegion/--endpoint options.")
  String url;

  /**
   * The URL, checked with the run's options (which register the file systems); null when not
   * given.
   */
  String checked(Study study, PipelineOptions options) {
    if (url != null) {
      org.apache.beam.sdk.io.FileSystems.setDefaultPipelineOptions(options);
      SharedOutput.check(study, url);
    }
    return url;
  }
}
