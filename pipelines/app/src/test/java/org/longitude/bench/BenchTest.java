package org.longitude.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.longitude.common.Schemas;
import org.longitude.config.Location;
import org.longitude.config.Study;
import org.longitude.config.StudyLoader;
import org.longitude.deid.Pseudonyms;
import org.longitude.demo.SyntheticStudy;
import org.longitude.pipeline.RunLayout;
import org.longitude.pipeline.StudyPipeline;

/**
 * {@code bench} runs on a tiny clinic, writes its JSON, and the baseline converter and the
 * pipeline agree on the rows both keep. No timings are asserted.
 *
 * <p>The two do not keep the same records: the pipeline de-identifies, drops duplicates and
 * quarantines dirt (out-of-range, dangling subject, missing or future date), the baseline only
 * skips statuses other than final/amended/corrected. So the comparison joins on the record:
 * the baseline's raw resource and Patient ids, pseudonymized with the bench's key, must give
 * the pipeline's {@code record_id} and {@code participant_id}; for every pipeline row the
 * baseline row with that record must have the same measure, source code, score, item scores
 * and version. The baseline's extra rows must be few (the ~2% dirt), not a silent loss.
 * Dates are not compared: the pipeline shifts them.
 */
class BenchTest {
  @Test
  void baselineAndPipelineAgreeOnTheRowsBothKeep(@TempDir Path out) throws Exception {
    StringWriter log = new StringWriter();
    // No warm-up: the test checks what each path wrote, not how fast.
    Bench.Report report = new Bench(new Bench.Settings(2000, 0, 1, out,
        List.of(Bench.Runner.DIRECT), 7, 0, true), new PrintWriter(log)).run();
    System.out.println(log);

    assertTrue(report.observations() >= 2000, log.toString());
    assertEquals(List.of(Bench.BASELINE, "b_ingest_direct_runner",
        "b_ingest_direct_runner_with_view", "d_cohort_direct"),
        report.figures().stream().map(Bench.Figure::path).toList());
    assertNotNull(report.ratios().get(
        "wall b_ingest_direct_runner_with_view/b_ingest_direct_runner"));
    assertTrue(Files.exists(out.resolve("bench.json")));
    assertNotNull(report.ratios().get("b_ingest_direct_runner/" + Bench.BASELINE));
    // The cohort stage (d), run apart on the timelines the ingest kept, gives the cohort
    // tables of the study pipeline that runs both in one graph.
    Study study = StudyLoader.load(Location.file(
        BenchStudy.write(out.resolve("study"), out.resolve("data").resolve(BenchData.CLINIC))));
    RunLayout whole = new RunLayout(out.resolve("whole"), "whole");
    whole.create();
    Pipeline both = Pipeline.create(Bench.options(Bench.Runner.DIRECT));
    StudyPipeline.build(both, study, Bench.KEY, whole, SyntheticStudy.REFERENCE_DATE);
    assertEquals(PipelineResult.State.DONE, both.run().waitUntilFinish());
    for (String table : List.of(Schemas.OUTCOMES, Schemas.SURVIVAL, Schemas.LANDMARKS,
        Schemas.COURSE_OUTCOMES, Schemas.ATTRITION)) {
      List<String> apart = withoutRunId(read(
          Path.of(report.pipelineResearch().get(Bench.COHORT)).resolve(table)));
      assertFalse(apart.isEmpty(), table);
      assertEquals(withoutRunId(read(whole.researchStaging().resolve(table))), apart, table);
    }

    List<GenericRecord> baseline = read(Path.of(report.baselineParquet()));
    List<GenericRecord> pipeline = read(Path.of(report.pipelineResearch().get("b_ingest_direct_runner"))
        .resolve(Schemas.OBSERVATIONS));
    assertFalse(pipeline.isEmpty());
    // The view (--view) read every final Observation: each kept score's record among its rows.
    Set<String> viewed = new HashSet<>();
    for (GenericRecord v : read(Path.of(report.pipelineResearch()
        .get("b_ingest_direct_runner_with_view")).resolve("views/observation_values"))) {
      viewed.add(v.get("observation").toString());
    }
    for (GenericRecord p : pipeline) {
      assertTrue(viewed.contains(p.get("record_id").toString()), "in the view");
    }

    Pseudonyms pseudonyms = new Pseudonyms(Bench.KEY, 0);
    Map<String, GenericRecord> byRecord = new HashMap<>();
    for (GenericRecord b : baseline) {
      String id = pseudonyms.record(BenchData.CLINIC, "Observation", b.get("record_id").toString());
      assertEquals(null, byRecord.put(id, b), "one baseline row per record");
    }
    for (GenericRecord p : pipeline) {
      GenericRecord b = byRecord.get(p.get("record_id").toString());
      assertNotNull(b, "pipeline row without a baseline row: " + p.get("record_id"));
      assertEquals(pseudonyms.participant(BenchData.CLINIC, b.get("participant_id").toString()),
          p.get("participant_id").toString());
      for (String field : List.of("measure", "source_system", "source_code", "score",
          "record_version")) {
        assertEquals(String.valueOf(b.get(field)), String.valueOf(p.get(field)), field);
      }
      assertEquals(String.valueOf(b.get("item_scores")), String.valueOf(p.get("item_scores")),
          "item_scores");
    }
    int extra = baseline.size() - pipeline.size();
    assertTrue(extra > 0, "the data carry dirt the pipeline drops");
    // Duplicates, out-of-range, dangling subjects, missing or future dates: ~2-3% of the
    // lines in the generator, a little more among the baseline's rows at this size.
    assertTrue(extra < baseline.size() * 0.10, "baseline " + baseline.size() + ", pipeline "
        + pipeline.size());
  }

  private static List<String> withoutRunId(List<GenericRecord> rows) {
    return rows.stream().map(r -> {
      r.put("run_id", "");
      return r.toString();
    }).sorted().toList();
  }

  private static List<GenericRecord> read(Path fileOrDir) throws IOException {
    List<Path> files;
    if (Files.isDirectory(fileOrDir)) {
      try (Stream<Path> s = Files.list(fileOrDir)) {
        files = s.filter(f -> f.toString().endsWith(".parquet")).sorted().toList();
      }
    } else {
      files = List.of(fileOrDir);
    }
    List<GenericRecord> rows = new ArrayList<>();
    for (Path file : files) {
      try (ParquetReader<GenericRecord> reader =
          AvroParquetReader.<GenericRecord>builder(new LocalInputFile(file)).build()) {
        for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
          rows.add(r);
        }
      }
    }
    return rows;
  }

  @Test
  void aShapeCapsEachParticipantsObservations(@TempDir Path out) throws Exception {
    BenchData.Generated capped = BenchData.write(out, 600, 7, 10);
    java.util.Map<String, Long> perSubject = perSubject(capped);
    assertEquals(capped.observations(), perSubject.values().stream().mapToLong(n -> n).sum());
    assertTrue(capped.observations() >= 600, capped.toString());
    assertTrue(perSubject.values().stream().allMatch(n -> n <= 10), perSubject.toString());
    assertTrue(perSubject.size() >= 60, perSubject.size() + " participants");
    // The same folder asked for another shape is generated again, not reused.
    assertTrue(perSubject(BenchData.write(out, 600, 7, 0)).values().stream()
        .anyMatch(n -> n > 10));
  }

  private static java.util.Map<String, Long> perSubject(BenchData.Generated data)
      throws java.io.IOException {
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();
    java.util.Map<String, Long> counts = new java.util.HashMap<>();
    for (String line : Files.readAllLines(data.dir().resolve("Observation.ndjson"))) {
      counts.merge(json.readTree(line).path("subject").path("reference").asText(), 1L,
          Long::sum);
    }
    return counts;
  }
}
