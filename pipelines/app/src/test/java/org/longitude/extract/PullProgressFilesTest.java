package org.longitude.extract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.longitude.config.Study;
import org.longitude.demo.ClinicServerOptions;
import org.longitude.demo.DemoClinics;
import org.longitude.demo.DemoStudy;
import org.longitude.demo.FaultPlan;
import org.longitude.demo.SyntheticStudy;

/**
 * A pull whose launcher is in another JVM, as on a cluster's workers: its tasks write their
 * live counts to files, which the launcher sums while the pull runs.
 */
class PullProgressFilesTest {

  @Test
  void aRetriedTaskRewritesItsOwnFileAndIsNotCountedTwice(@TempDir Path dir) {
    PullProgress progress = PullProgress.in(dir.resolve("progress").toString());
    count(progress.task("north", "Observation", "slice 1"), 5, 0);
    count(progress.task("north", "Observation", "slice 1"), 3, 0); // the retried attempt
    count(progress.task("north", "Patient", "all"), 2, 1);
    count(progress.task("summit", "Patient", "all"), 4, 2);

    assertArrayEquals(new long[] {5, 1}, progress.snapshot().get("north"));
    assertArrayEquals(new long[] {4, 2}, progress.snapshot().get("summit"));
    progress.forget();
    assertTrue(progress.snapshot().isEmpty(), "the finished run's files are removed");
  }

  @Test
  void theLauncherSeesTheWorkersCountsGrowWhileTheyPull(@TempDir Path dir) throws Exception {
    // Every search page takes 150 ms: the pull lasts seconds, longer than a file's interval.
    ClinicServerOptions slowPages = ClinicServerOptions.defaults().withDefaultPageSize(10)
        .withFaults(FaultPlan.none().withSlowMillis(150)
            .with(FaultPlan.every(FaultPlan.Fault.SLOW_RESPONSE, 1).onPages()));
    try (DemoClinics clinics = DemoClinics.start(SyntheticStudy.generate(5, 20), slowPages)) {
      Extract extract = Extract.from(DemoStudy.against(clinics))
          .withProgressFiles(dir.resolve("progress").toString());
      DirectOptions options = PipelineOptionsFactory.as(DirectOptions.class);
      options.setBlockOnRun(false);
      Pipeline pipeline = Pipeline.create(options);
      pipeline.apply(extract);

      PipelineResult result = pipeline.run(); // nothing watches the board in this JVM
      List<Long> seen = new ArrayList<>();
      while (!result.getState().isTerminal()) {
        long[] north = extract.progress().snapshot().get("north");
        seen.add(north == null ? 0 : north[0]);
        Thread.sleep(200);
      }

      assertEquals(PipelineResult.State.DONE, result.getState());
      long served = Study.TIMELINE_TYPES.stream()
          .mapToLong(type -> clinics.clinic("north").count(type)).sum();
      long[] north = extract.progress().snapshot().get("north");
      assertEquals(served, north[0], "every resource north served, counted once");
      assertTrue(north[1] > 5, "and its pages");
      assertTrue(seen.stream().anyMatch(n -> n > 0 && n < served),
          "counts shown while pulling: " + seen);
      assertEquals(seen.stream().sorted().toList(), seen, "counts only grow");
    }
  }

  private static void count(PullProgress.Task task, int resources, int pages) {
    for (int i = 0; i < resources; i++) {
      task.resource();
    }
    for (int i = 0; i < pages; i++) {
      task.page();
    }
    task.finish();
  }
}
