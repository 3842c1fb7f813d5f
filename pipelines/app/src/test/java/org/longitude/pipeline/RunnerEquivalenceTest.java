package org.longitude.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.List;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.longitude.common.Schemas;
import org.longitude.config.Study;
import org.longitude.config.StudyKey;
import org.longitude.demo.DemoClinics;
import org.longitude.demo.DemoStudy;
import org.longitude.demo.SyntheticStudy;
import org.longitude.operate.StudyRun;
import org.longitude.testing.LocalFlink;

/** The same study on Flink's embedded cluster (parallelism 2) gives the DirectRunner's tables. */
class RunnerEquivalenceTest {
  private static final StudyKey KEY = StudyKey.of("runner-equivalence-test-key-32-bytes!".getBytes());
  private static final List<String> TABLES = List.of(Schemas.PARTICIPANTS, Schemas.OBSERVATIONS,
      Schemas.TREATMENTS, Schemas.OUTCOMES, Schemas.SURVIVAL, Schemas.LANDMARKS,
      Schemas.COURSE_OUTCOMES, Schemas.ATTRITION, Schemas.QUARANTINE, Schemas.RUN_SUMMARY,
      Schemas.INTERVALS, Schemas.COMPARISONS, Schemas.PH_CHECKS, Schemas.BALANCE,
      Schemas.WEIGHTED_SURVIVAL);

  @Test
  void flinkTablesEqualDirectRunnerTables(@TempDir Path direct, @TempDir Path flink)
      throws Exception {
    try (DemoClinics clinics = DemoClinics.start(SyntheticStudy.generate(11, 20))) {
      Study study = DemoStudy.against(clinics);
      PipelineOptions directOptions = PipelineOptionsFactory.create();
      directOptions.setRunner(DirectRunner.class);
      FlinkPipelineOptions flinkOptions = LocalFlink.options(2);

      StudyRun.Result a = StudyRun.run(study, KEY, direct, directOptions, "same-run",
          SyntheticStudy.REFERENCE_DATE);
      StudyRun.Result b = StudyRun.run(study, KEY, flink, flinkOptions, "same-run",
          SyntheticStudy.REFERENCE_DATE);
      assertEquals(StudyRun.Status.SUCCESS, a.status());
      assertEquals(StudyRun.Status.SUCCESS, b.status());
      for (String table : TABLES) {
        List<String> fromDirect = ParquetTables.sortedRows(a.layout().research(), table);
        assertFalse(fromDirect.isEmpty(), table + " is empty");
        assertEquals(fromDirect, ParquetTables.sortedRows(b.layout().research(), table),
            table + " differs");
      }
    }
  }
}
