package org.longitude.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench --small} on a tiny clinic: {@code longitude run} in a child process publishes
 * the research tables and the report, and every phase the run passes is reported, in order.
 * No timings are asserted.
 */
class SmallBenchTest {
  @Test
  void runsTheStudyInANewProcessAndReportsEachPhase(@TempDir Path out) throws Exception {
    StringWriter printed = new StringWriter();
    SmallBench.Report report = new SmallBench(new SmallBench.Settings(10, 0, 1, out, 7),
        new PrintWriter(printed)).run();

    assertEquals(List.of("jvm_started", "config_loaded", "options_parsed", "graph_built",
        "pipeline_done", "accounted", "published", "report_written", "done", "exited"),
        List.copyOf(report.phaseSeconds().keySet()), printed.toString());
    assertTrue(report.resources() > 10, "the clinic's resources: " + report.resources());
    Path study = out.resolve("small-10");
    assertTrue(Files.isRegularFile(study.resolve("run/report/index.html")));
    try (var tables = Files.list(study.resolve("run/research/observations"))) {
      assertTrue(tables.anyMatch(f -> f.toString().endsWith(".parquet")));
    }
    assertTrue(Files.isRegularFile(study.resolve("small-bench.json")));
    assertTrue(printed.toString().contains("report (DuckDB, charts)"), printed.toString());
  }

  @Test
  void aPhaseIsTheTimeSinceTheMarkBeforeAndExitIsWhatFollowsTheLast() {
    ChildRun.Sample sample = ChildRun.sample(5.0,
        List.of("jvm_started 500 300", "not a mark", "options_parsed 2000 1500"));

    assertEquals(Map.of("jvm_started", 0.5, "options_parsed", 1.5, "exited", 3.0),
        sample.phaseSeconds());
    assertEquals(Map.of("jvm_started", 0.3, "options_parsed", 1.2), sample.phaseCpuSeconds());
    assertEquals(1.5, sample.cpuSeconds());
    assertEquals(List.of("jvm_started", "options_parsed", "exited"),
        List.copyOf(sample.phaseSeconds().keySet()));
  }
}
