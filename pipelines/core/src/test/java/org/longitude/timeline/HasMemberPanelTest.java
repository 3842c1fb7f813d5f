package org.longitude.timeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.longitude.common.Outcome;
import org.longitude.common.Schemas;
import org.longitude.config.Location;
import org.longitude.config.Study;
import org.longitude.config.StudyKey;
import org.longitude.config.StudyLoader;
import org.longitude.pipeline.RunSummary;
import org.longitude.operate.StudyRun;
import org.longitude.testing.StudyFiles;

/**
 * Panels whose items arrive as separate Observations named in {@code hasMember}, through the
 * real pipeline from NDJSON: scored from their members, checked against a member total, the
 * missing-items rule applied, and every panel and member accounted for.
 */
class HasMemberPanelTest {
  private static final LocalDate TODAY = LocalDate.of(2026, 6, 30);
  private static final List<String> PHQ9_ITEMS = List.of("44250-9", "44255-8", "44259-0",
      "44254-1", "44251-7", "44258-2", "44252-5", "44253-3", "44260-8");
  private static final List<String> GAD7_ITEMS = List.of("69725-0", "68509-9", "69733-4",
      "69734-2", "69735-9", "69689-8", "69736-7");
  /** LOINC answers LA6568-5..LA6571-9 are 0..3. */
  private static final List<String> ANSWERS = List.of("LA6568-5", "LA6569-3", "LA6570-1",
      "LA6571-9");

  @Test
  void panelsScoreFromTheirMembersAndEveryRecordIsAccountedFor(@TempDir Path dir)
      throws Exception {
    List<String> obs = new ArrayList<>();
    // A: items only, as LOINC answer codes: 1+2+3+0+1+2+3+0+1 = 13 -> written, 9 merged.
    obs.add(panel("A", "44249-1", "2025-01-10", null, members("a", 9)));
    items(obs, "a", PHQ9_ITEMS, new int[] {1, 2, 3, 0, 1, 2, 3, 0, 1}, "2025-01-10", true);
    // B: a member total 10 agreeing with its items 1x8 + 2 -> written 10, 10 merged.
    obs.add(panel("B", "44249-1", "2025-02-10", null, with(members("b", 9), "bt")));
    items(obs, "b", PHQ9_ITEMS, new int[] {1, 1, 1, 1, 1, 1, 1, 1, 2}, "2025-02-10", false);
    obs.add(observation("bt", "44261-6", "2025-02-10", 10, ""));
    // C: a member total 12 but items summing 10 -> panel and its 10 members quarantined.
    obs.add(panel("C", "44249-1", "2025-03-10", null, with(members("c", 9), "ct")));
    items(obs, "c", PHQ9_ITEMS, new int[] {1, 1, 1, 1, 1, 1, 1, 1, 2}, "2025-03-10", false);
    obs.add(observation("ct", "44261-6", "2025-03-10", 12, ""));
    // D: item 9 (d9) never arrives; PHQ-9 allows none missing -> panel + 8 members quarantined.
    obs.add(panel("D", "44249-1", "2025-04-10", null, members("d", 9)));
    items(obs, "d", PHQ9_ITEMS.subList(0, 8), new int[] {3, 3, 3, 3, 3, 3, 3, 3}, "2025-04-10",
        false);
    // E: the GAD-7 panel carrying its total 7, items 1x7 -> written 7, 7 merged.
    obs.add(panel("E", "69737-5", "2025-05-10", 7, members("e", 7)));
    items(obs, "e", GAD7_ITEMS, new int[] {1, 1, 1, 1, 1, 1, 1}, "2025-05-10", false);

    StudyRun.Result result = run(dir, obs);

    RunSummary summary = result.summary();
    assertEquals(List.of(), summary.imbalances());
    assertEquals(49, summary.total("panels", "Observation", Outcome.READ));
    assertEquals(3, summary.total("panels", "Observation", Outcome.WRITTEN));
    assertEquals(26, summary.reason("MERGED_INTO_TOTAL"));
    assertEquals(11, summary.reason("ITEMS_TOTAL_MISMATCH"));
    assertEquals(9, summary.reason("INCOMPLETE_ITEMS"));

    Map<String, String> rows = new TreeMap<>();
    for (GenericRecord r : observations(result.layout().researchStaging())) {
      rows.put(r.get("measure") + " " + r.get("score"),
          r.get("source_code") + " " + r.get("item_scores"));
    }
    assertEquals(Map.of(
        "PHQ9 13", "44249-1 [1, 2, 3, 0, 1, 2, 3, 0, 1]",
        "PHQ9 10", "44249-1 [1, 1, 1, 1, 1, 1, 1, 1, 2]",
        "GAD7 7", "69737-5 [1, 1, 1, 1, 1, 1, 1]"), rows);
  }

  /** Runs one clinic's Observations (and patient p1) from NDJSON through the pipeline. */
  private static StudyRun.Result run(Path dir, List<String> obs) throws IOException {
    Path data = Files.createDirectories(dir.resolve("data"));
    Files.write(data.resolve("Observation.ndjson"), obs);
    Files.writeString(data.resolve("Patient.ndjson"), "{\"resourceType\":\"Patient\","
        + "\"id\":\"p1\",\"birthDate\":\"1980-01-01\"}\n");
    Files.writeString(dir.resolve("panels.yaml"), "clinic: panels\n");
    Study study = StudyLoader.load(Location.file(StudyFiles.oneClinicStudy(dir, "panels",
        "panels", "panels.yaml", "{kind: ndjson, directory: data}")));
    PipelineOptions options = PipelineOptionsFactory.create();
    options.setRunner(DirectRunner.class);
    return StudyRun.run(study,
        StudyKey.of("panel-test-key-of-at-least-32-bytes!".getBytes()), dir.resolve("out"),
        options, "panels", TODAY);
  }

  @Test
  void itemsSentApartMustAgreeWithTheTotalTheyJoin(@TempDir Path dir) throws Exception {
    List<String> obs = new ArrayList<>();
    // F: total 10, its items sent as their own Observations sum to 10 -> written, 9 merged.
    obs.add(observation("ft", "44261-6", "2025-06-10", 10, ""));
    items(obs, "f", PHQ9_ITEMS, new int[] {1, 1, 1, 1, 1, 1, 1, 1, 2}, "2025-06-10", false);
    // G: total 12, items sum to 10 -> the total and its 9 items quarantined.
    obs.add(observation("gt", "44261-6", "2025-07-10", 12, ""));
    items(obs, "g", PHQ9_ITEMS, new int[] {1, 1, 1, 1, 1, 1, 1, 1, 2}, "2025-07-10", false);

    RunSummary summary = run(dir, obs).summary();

    assertEquals(List.of(), summary.imbalances());
    assertEquals(20, summary.total("panels", "Observation", Outcome.READ));
    assertEquals(1, summary.total("panels", "Observation", Outcome.WRITTEN));
    assertEquals(9, summary.reason("MERGED_INTO_TOTAL"));
    assertEquals(10, summary.reason("ITEMS_TOTAL_MISMATCH"));
  }

  private static List<GenericRecord> observations(Path research) throws IOException {
    List<GenericRecord> rows = new ArrayList<>();
    try (Stream<Path> files = Files.list(research.resolve(Schemas.OBSERVATIONS))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".parquet")).toList()) {
        try (ParquetReader<GenericRecord> reader =
            AvroParquetReader.<GenericRecord>builder(new LocalInputFile(f)).build()) {
          for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
            rows.add(r);
          }
        }
      }
    }
    return rows;
  }

  private static List<String> members(String prefix, int n) {
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      ids.add(prefix + i);
    }
    return ids;
  }

  private static List<String> with(List<String> ids, String id) {
    List<String> all = new ArrayList<>(ids);
    all.add(id);
    return all;
  }

  private static void items(List<String> out, String prefix, List<String> codes, int[] values,
      String day, boolean answerCodes) {
    for (int i = 0; i < codes.size(); i++) {
      out.add(answerCodes
          ? observation(prefix + (i + 1), codes.get(i), day, null,
              ",\"valueCodeableConcept\":{\"coding\":[{\"system\":\"http://loinc.org\","
                  + "\"code\":\"" + ANSWERS.get(values[i]) + "\"}]}")
          : observation(prefix + (i + 1), codes.get(i), day, values[i], ""));
    }
  }

  private static String panel(String id, String code, String day, Integer value,
      List<String> members) {
    StringBuilder refs = new StringBuilder(",\"hasMember\":[");
    for (int i = 0; i < members.size(); i++) {
      refs.append(i == 0 ? "" : ",").append("{\"reference\":\"Observation/")
          .append(members.get(i)).append("\"}");
    }
    return observation(id, code, day, value, refs.append("]").toString());
  }

  private static String observation(String id, String code, String day, Integer value,
      String extra) {
    return "{\"resourceType\":\"Observation\",\"id\":\"" + id + "\",\"status\":\"final\","
        + "\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"" + code + "\"}]},"
        + "\"subject\":{\"reference\":\"Patient/p1\"},\"effectiveDateTime\":\"" + day + "\""
        + (value == null ? "" : ",\"valueInteger\":" + value) + extra + "}";
  }
}
