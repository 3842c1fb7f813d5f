package org.longitude.testing;

import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/** Options for a job on Flink's embedded cluster, as tests that run on Flink want them. */
public final class LocalFlink {
  private LocalFlink() {}

  /** The FlinkRunner on a local embedded cluster of {@code parallelism} slots. */
  public static FlinkPipelineOptions options(int parallelism) {
    FlinkPipelineOptions options = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    options.setRunner(FlinkRunner.class);
    options.setFlinkMaster("[local]");
    options.setParallelism(parallelism);
    return options;
  }
}
