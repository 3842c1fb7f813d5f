package org.longitude.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.beam.sdk.options.PipelineOptions;
import org.longitude.config.Study;
import org.longitude.config.StudyKey;
import org.longitude.demo.SyntheticStudy;
import org.longitude.pipeline.RunLayout;
import org.longitude.operate.StudyRun;

/**
 * One run of the check: every run, on any runner and in any process (the Spark driver runs in
 * its own JVM), has the same study key, run id and reference date, so that their rows, which
 * carry the run id and dates, compare as they are.
 */
final class CheckRun {
  static final String RUN_ID = "cluster-check";
  private static final StudyKey KEY = StudyKey.of(
      "longitude-cluster-check-key-32-bytes!".getBytes(StandardCharsets.UTF_8));

  private CheckRun() {}

  static StudyRun.Status run(Study study, Path output, PipelineOptions options)
      throws IOException {
    return StudyRun.run(study, KEY, output, options, RUN_ID, SyntheticStudy.REFERENCE_DATE)
        .status();
  }

  /** Where a run of the check into {@code output} left its files. */
  static RunLayout layout(Path output) {
    return new RunLayout(output.toAbsolutePath().normalize(), RUN_ID);
  }
}
