package org.longitude.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.flink.api.java.ExecutionEnvironment;
import org.apache.flink.api.java.LocalEnvironment;
import org.junit.jupiter.api.Test;

/**
 * Beam's Flink runner submits to the cluster started ahead of the job, which shuts down after
 * it; a cluster no job used shuts down when closed; either way Flink's own local environment
 * is back afterwards.
 */
class EmbeddedFlinkTest {
  @Test
  void theRunnerSubmitsToTheClusterStartedAheadAndItStopsAfterTheJob() throws Exception {
    try (EmbeddedFlink flink = EmbeddedFlink.start(2)) {
      FlinkPipelineOptions options = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
      options.setRunner(FlinkRunner.class); // flinkMaster stays [auto]: the context environment
      Pipeline pipeline = Pipeline.create(options);
      pipeline.apply(Create.of(1, 2, 3, 4, 5)).apply(ParDo.of(new CountFn()));

      PipelineResult result = pipeline.run();

      assertEquals(PipelineResult.State.DONE, result.waitUntilFinish());
      assertEquals(5L, result.metrics().queryMetrics(MetricsFilter.builder()
          .addNameFilter(MetricNameFilter.named(CountFn.class, "seen")).build())
          .getCounters().iterator().next().getAttempted());
      awaitStopped(flink); // this cluster ran the job, then stopped
    }
    assertInstanceOf(LocalEnvironment.class, ExecutionEnvironment.getExecutionEnvironment());
  }

  @Test
  void aClusterNoJobUsedStopsWhenClosed() throws Exception {
    EmbeddedFlink flink = EmbeddedFlink.start(1);
    assertTrue(flink.running());

    flink.close();

    awaitStopped(flink);
    assertInstanceOf(LocalEnvironment.class, ExecutionEnvironment.getExecutionEnvironment());
  }

  private static void awaitStopped(EmbeddedFlink flink) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (flink.running()) {
      assertTrue(System.nanoTime() < deadline, "the embedded cluster still runs");
      Thread.sleep(20);
    }
  }

  private static final class CountFn extends DoFn<Integer, Integer> {
    private final Counter seen = Metrics.counter(CountFn.class, "seen");

    @ProcessElement
    public void process(@Element Integer value) {
      seen.inc();
    }
  }
}
