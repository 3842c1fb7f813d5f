package org.longitude.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.Pipeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.longitude.config.Study;
import org.longitude.config.StudyKey;
import org.longitude.demo.ClinicServerOptions;
import org.longitude.demo.DemoClinics;
import org.longitude.demo.DemoStudy;
import org.longitude.demo.FaultPlan;
import org.longitude.demo.SyntheticStudy;
import org.longitude.operate.StudyRun;
import org.longitude.testing.LocalFlink;

/**
 * On Flink's embedded cluster, the default local runner, whose {@code run()} returns only when
 * the job is done, the progress display still moves while the clinics are pulled.
 */
class LiveProgressTest {
  private static final StudyKey KEY = StudyKey.of("live-progress-test-key-32-bytes!!".getBytes());
  private static final Pattern LINE = Pattern.compile("^(\\w+): ([\\d,]+) resources, (\\d+) pages");

  @Test
  void flinkRunShowsCountsWhileItPulls(@TempDir Path out) throws Exception {
    // Every search page of the search clinic takes 150 ms: the pull lasts seconds.
    ClinicServerOptions slowPages = ClinicServerOptions.defaults().withDefaultPageSize(10)
        .withFaults(FaultPlan.none().withSlowMillis(150)
            .with(FaultPlan.every(FaultPlan.Fault.SLOW_RESPONSE, 1).onPages()));
    try (DemoClinics clinics = DemoClinics.start(SyntheticStudy.generate(5, 20), slowPages)) {
      Study study = DemoStudy.against(clinics);
      FlinkPipelineOptions flink = LocalFlink.options(2);
      PipelineRun.tuneForProduction(flink);
      RunLayout layout = new RunLayout(out, "live");
      layout.create();
      PullPlan plan = PullPlan.full(study, layout);
      Pipeline pipeline = Pipeline.create(flink);
      StudyPipeline.build(pipeline, study, KEY, layout, SyntheticStudy.REFERENCE_DATE, plan);
      List<List<String>> reports = new CopyOnWriteArrayList<>();
      ProgressReporter.Display display = new ProgressReporter.Display() {
        @Override
        public void show(List<String> lines, boolean last) {
          reports.add(lines);
        }

        @Override
        public Duration interval() {
          return Duration.ofMillis(100);
        }
      };

      StudyRun.Result result = StudyRun.publish(study,
          PipelineRun.execute(pipeline, study, layout, Instant.now(), plan, display));

      assertEquals(StudyRun.Status.SUCCESS, result.status());
      Map<String, long[]> last = parse(reports.get(reports.size() - 1));
      long[] north = last.get("north");
      assertTrue(north[1] > 5, "north was pulled in pages: " + reports.get(reports.size() - 1));
      List<Long> during = new ArrayList<>();
      for (List<String> report : reports.subList(0, reports.size() - 1)) {
        long[] n = parse(report).get("north");
        if (n != null && n[0] > 0 && n[0] < north[0]) {
          during.add(n[0]);
        }
      }
      assertTrue(during.size() >= 2, "counts shown while pulling: " + during + " of " + north[0]);
      assertEquals(during.stream().sorted().toList(), during, "counts only grow");
      assertTrue(plan.extract().progress().snapshot().isEmpty(),
          "the run's board is dropped when it ends");
    }
  }

  private static Map<String, long[]> parse(List<String> lines) {
    Map<String, long[]> counts = new java.util.HashMap<>();
    for (String line : lines) {
      Matcher m = LINE.matcher(line);
      if (m.find()) {
        counts.put(m.group(1), new long[] {Long.parseLong(m.group(2).replace(",", "")),
            Long.parseLong(m.group(3))});
      }
    }
    return counts;
  }
}
