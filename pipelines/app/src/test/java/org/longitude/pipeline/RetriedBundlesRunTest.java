package org.longitude.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.longitude.common.FailureInjection;
import org.longitude.common.Schemas;
import org.longitude.config.Study;
import org.longitude.config.StudyKey;
import org.longitude.demo.DemoClinics;
import org.longitude.demo.DemoStudy;
import org.longitude.demo.SyntheticStudy;
import org.longitude.operate.StudyRun;
import org.longitude.testing.LocalFlink;

/**
 * Bundles that fail after doing all their work, as when a worker dies at the worst moment,
 * and that the runner retries change nothing: on Flink's embedded cluster with a restart
 * strategy, a run in which every second bundle of each step that decides records' fates
 * fails once gives the undisturbed run's research tables, exact accounting and quarantined
 * records, and leaves no partial or uncounted file. (The DirectRunner retries nothing: a
 * failed bundle fails its run.)
 */
class RetriedBundlesRunTest {
  private static final StudyKey KEY =
      StudyKey.of("retried-bundles-run-test-key-32-bytes".getBytes());
  private static final List<String> TABLES = List.of(Schemas.PARTICIPANTS,
      Schemas.OBSERVATIONS, Schemas.TREATMENTS, Schemas.OUTCOMES, Schemas.SURVIVAL,
      Schemas.QUARANTINE, Schemas.RUN_SUMMARY);

  @Test
  void bundlesRetriedAfterAFailureCountOnceAndLeaveNothingBehind(@TempDir Path calm,
      @TempDir Path disturbed, @TempDir Path flinkConf) throws Exception {
    // Beam hands its retry options to Flink's streaming jobs only: a batch job restarts as
    // the cluster's configuration says.
    Files.writeString(flinkConf.resolve("flink-conf.yaml"), """
        restart-strategy.type: fixed-delay
        restart-strategy.fixed-delay.attempts: 5
        restart-strategy.fixed-delay.delay: 10 ms
        """);
    try (DemoClinics clinics = DemoClinics.start(SyntheticStudy.generate(13, 20))) {
      Study study = DemoStudy.against(clinics);
      StudyRun.Result undisturbed = StudyRun.run(study, KEY, calm, flink(flinkConf), "same-run",
          SyntheticStudy.REFERENCE_DATE);
      StudyRun.Result retried;
      System.setProperty(FailureInjection.EVERY_NTH_BUNDLE, "2");
      try {
        retried = StudyRun.run(study, KEY, disturbed, flink(flinkConf), "same-run",
            SyntheticStudy.REFERENCE_DATE);
      } finally {
        System.clearProperty(FailureInjection.EVERY_NTH_BUNDLE);
      }

      assertEquals(3, FailureInjection.failures(), "bundles failed and were retried");
      assertEquals(StudyRun.Status.SUCCESS, undisturbed.status());
      assertEquals(StudyRun.Status.SUCCESS, retried.status());
      assertEquals(undisturbed.summary().counts(), retried.summary().counts());
      assertTrue(undisturbed.summary().total(null, null,
          org.longitude.common.Outcome.QUARANTINED) > 0, "the study quarantines records");
      for (String table : TABLES) {
        List<String> rows = ParquetTables.sortedRows(undisturbed.layout().research(), table);
        assertFalse(rows.isEmpty(), table + " is empty");
        assertEquals(rows, ParquetTables.sortedRows(retried.layout().research(), table),
            table + " differs");
      }
      assertEquals(quarantined(undisturbed.layout()), quarantined(retried.layout()),
          "each quarantined record once");
      assertEquals(List.of(), hidden(disturbed), "files being written or temporary");
    }
  }

  /** Flink's embedded cluster, restarting a failed job as {@code confDir}'s config says. */
  private static FlinkPipelineOptions flink(Path confDir) {
    FlinkPipelineOptions options = LocalFlink.options(2);
    options.setFlinkConfDir(confDir.toString());
    return options;
  }

  /** Every line of every quarantine file, sorted. */
  private static List<String> quarantined(RunLayout layout) throws IOException {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> files = Files.list(layout.quarantine())) {
      for (Path f : files.toList()) {
        lines.addAll(Files.readAllLines(f));
      }
    }
    lines.sort(null);
    return lines;
  }

  /** Hidden files and folders anywhere under {@code root} (the lock file aside). */
  static List<String> hidden(Path root) throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      return all.map(p -> root.relativize(p).toString())
          .filter(p -> p.startsWith(".") && !p.startsWith(".research-") || p.contains("/."))
          .sorted().toList();
    }
  }
}
