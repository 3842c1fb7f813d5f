package org.longitude.views;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.longitude.config.DeidRules;
import org.longitude.config.StudyKey;
import org.longitude.config.StudyLoader;
import org.longitude.config.StudyView;
import org.longitude.config.StudyView.Release;
import org.longitude.deid.Pseudonyms;
import org.longitude.extract.RawResource;
import org.longitude.testing.ParquetRows;

/**
 * The views stage on hand-written resources: released values (pseudonyms equal to the fixed
 * tables', the participant's own shift), the newest version only, retractions, resources of
 * no participant, and values that break their rule counted by view, column and rule and
 * never written.
 */
public class RunViewsTest {
  private static final StudyKey KEY = StudyKey.of(new byte[32]);
  private static final DeidRules DEID = StudyLoader.load(StudyLoader.DEMO).deid();
  private static final String VIEW = """
      {"name": "scores", "resource": "Observation",
       "select": [{"column": [
         {"name": "score", "path": "getResourceKey()"},
         {"name": "patient", "path": "subject.reference"},
         {"name": "on", "path": "effective.ofType(dateTime)"},
         {"name": "code", "path": "code.coding.code.first()"},
         {"name": "total", "path": "value.ofType(integer)"}]}]}
      """;

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final TemporaryFolder temp = new TemporaryFolder();

  private static String observation(String id, int version, String status, String subject,
      String system, String code, String date, int total) {
    return """
        {"resourceType": "Observation", "id": "%s", "meta": {"versionId": "%d"},
         "status": "%s", "subject": {"reference": "%s"},
         "code": {"coding": [{"system": "%s", "code": "%s"}]},
         "effectiveDateTime": "%s", "valueInteger": %d,
         "note": [{"text": "Ann Smith's own words"}]}
        """.formatted(id, version, status, subject, system, code, date, total);
  }

  private static RawResource raw(String json) {
    return new RawResource("north", "Observation", json.getBytes(StandardCharsets.UTF_8));
  }

  private PipelineResult run(Map<String, Release> rules, String... resources)
      throws Exception {
    return run(VIEW, rules, resources);
  }

  private PipelineResult run(String json, Map<String, Release> rules, String... resources)
      throws Exception {
    StudyView view = new StudyView("scores", "test", json, rules, List.of());
    ReleasedView released = ReleaseCheck.check(view, DEID,
        ca.uhn.fhir.context.FhirContext.forR4Cached());
    List<RawResource> raws = Stream.of(resources).map(RunViewsTest::raw).toList();
    pipeline.apply(Create.of(raws).withCoder(RawResource.RawResourceCoder.of()))
        .apply(RunViews.of(List.of(released), DEID, KEY, temp.getRoot().toString(), "run-1"));
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    return result;
  }

  private static Map<String, Release> rules(String codeSystem) {
    Map<String, Release> rules = new TreeMap<>();
    rules.put("score", new Release(StudyView.Rule.PSEUDONYM, List.of()));
    rules.put("patient", new Release(StudyView.Rule.PSEUDONYM, List.of()));
    rules.put("on", new Release(StudyView.Rule.SHIFT_DATE, List.of()));
    rules.put("code", new Release(StudyView.Rule.CODE, List.of(codeSystem)));
    rules.put("total", new Release(StudyView.Rule.NUMBER, List.of()));
    return rules;
  }

  private List<GenericRecord> rows(String view) throws Exception {
    List<GenericRecord> rows = new ArrayList<>();
    try (Stream<Path> files = Files.list(temp.getRoot().toPath().resolve("views").resolve(view))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".parquet")).sorted().toList()) {
        rows.addAll(ParquetRows.read(f));
      }
    }
    return rows;
  }

  @Test
  public void releasesTheNewestVersionOfEachResourceWithTheParticipantsOwnShift()
      throws Exception {
    PipelineResult result = run(rules("http://loinc.org"),
        observation("o1", 1, "final", "Patient/p1", "http://loinc.org", "44261-6",
            "2024-03-05T09:30:00-05:00", 17),
        observation("o2", 1, "final", "Patient/p2", "http://loinc.org", "44261-6",
            "2024-04-01", 9),                  // between o1's versions: they travel apart
        observation("o1", 2, "amended", "Patient/p1", "http://loinc.org", "44261-6",
            "2024-03-05T09:30:00-05:00", 15),                      // newer: replaces v1
        observation("o3", 1, "final", "Patient/p2", "http://loinc.org", "44261-6",
            "2024-04-02", 8),
        observation("o3", 2, "entered-in-error", "Patient/p2", "http://loinc.org",
            "44261-6", "2024-04-02", 8),                           // retracts o3
        observation("o4", 1, "final", "Group/g1", "http://loinc.org", "44261-6",
            "2024-04-02", 8));                                     // no participant

    Pseudonyms p = new Pseudonyms(KEY, DEID.maxShiftDays());
    List<GenericRecord> rows = rows("scores");
    assertEquals(2, rows.size());
    Map<String, GenericRecord> byScore = new TreeMap<>();
    rows.forEach(r -> byScore.put(r.get("score").toString(), r));
    GenericRecord o1 = byScore.get(p.record("north", "Observation", "o1"));
    assertEquals(p.participant("north", "p1"), o1.get("participant_id").toString());
    assertEquals(p.participant("north", "p1"), o1.get("patient").toString());
    assertEquals(LocalDate.of(2024, 3, 5).plusDays(p.shiftDays("north", "p1")),
        o1.get("on"));
    assertEquals("44261-6", o1.get("code").toString());
    assertEquals(15L, o1.get("total"));
    assertEquals("north", o1.get("clinic").toString());
    assertEquals("run-1", o1.get("run_id").toString());
    GenericRecord o2 = byScore.get(p.record("north", "Observation", "o2"));
    assertEquals(LocalDate.of(2024, 4, 1).plusDays(p.shiftDays("north", "p2")),
        o2.get("on"));
    assertTrue(RunViews.brokenRules(result.metrics()).isEmpty());
    // every resource was read on its JSON tree, none handed to HAPI's model
    List<Long> modelReads = new ArrayList<>();
    result.metrics().queryMetrics(MetricsFilter.builder().addNameFilter(MetricNameFilter.named(
        RunViews.NAMESPACE, "scores|north" + RunViews.MODEL)).build()).getCounters()
        .forEach(c -> modelReads.add(c.getAttempted()));
    assertTrue(modelReads.toString(), modelReads.stream().allMatch(n -> n == null || n == 0));
    assertTrue(Files.readString(temp.getRoot().toPath().resolve("views/scores/scores.avsc"))
        .contains("\"logicalType\" : \"date\""));
  }

  @Test
  public void aResourceTheViewCannotFlattenGivesNoRowsAndIsNamed() throws Exception {
    String twoCodes = observation("o2", 1, "final", "Patient/p1", "http://loinc.org",
        "44261-6", "2024-03-06", 11).replace("\"code\": \"44261-6\"}",
            "\"code\": \"44261-6\"}, {\"system\": \"http://loinc.org\", \"code\": \"44249-1\"}");
    PipelineResult result = run(VIEW.replace("code.coding.code.first()", "code.coding.code"),
        rules("http://loinc.org"), observation("o1", 1, "final", "Patient/p1",
            "http://loinc.org", "44261-6", "2024-03-05", 17), twoCodes);

    assertEquals(1, rows("scores").size());
    assertEquals(List.of("view 'scores', column 'code': the path gave more than one value; "
        + "add first() or declare the column a collection (1 resource(s), none of their rows "
        + "written)"), RunViews.brokenRules(result.metrics()));
  }

  @Test
  public void aValueThatBreaksItsRuleIsCountedAndNeverWritten() throws Exception {
    PipelineResult result = run(rules("http://loinc.org"),
        observation("o1", 1, "final", "Patient/p1", "http://loinc.org", "44261-6",
            "2024-03-05", 17),
        // A local code where only LOINC is declared: not a code of a declared system.
        observation("o2", 1, "final", "Patient/p1", "http://clinic.example/local",
            "Ann Smith", "2024-03-06", 11));

    List<GenericRecord> rows = rows("scores");
    assertEquals(1, rows.size());
    assertEquals("44261-6", rows.get(0).get("code").toString());
    assertEquals(List.of("view 'scores', column 'code' (rule code): 1 value(s) broke the rule "
        + "and were not written"), RunViews.brokenRules(result.metrics()));
    for (Path f : Files.walk(temp.getRoot().toPath()).filter(Files::isRegularFile).toList()) {
      assertFalse(f.toString(), new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)
          .contains("Ann Smith"));
    }
  }
}
