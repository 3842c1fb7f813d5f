package org.longitude.views;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.testing.TestPipeline;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.longitude.common.Outcome;
import org.longitude.common.Reason;
import org.longitude.config.Study;
import org.longitude.config.StudyKey;
import org.longitude.config.StudyView;
import org.longitude.demo.DemoClinics;
import org.longitude.demo.DemoStudy;
import org.longitude.demo.SyntheticStudy;
import org.longitude.operate.ResearchQuery;
import org.longitude.operate.StudyRun;
import org.longitude.pipeline.PipelineRun;
import org.longitude.pipeline.ProgressReporter;
import org.longitude.pipeline.RunLayout;
import org.longitude.pipeline.StudyPipeline;

/**
 * The demo study's two views through a real run: three demo clinics (search, Bulk Data
 * $export, NDJSON) serving blood pressure around each infusion, the whole pipeline, the view
 * tables read back by DuckDB and joined to the fixed tables; and a run whose data break a
 * view's rule, which is not published; and a view over a type no timeline reads (Encounter),
 * pulled for it and accounted.
 */
public class ViewsRunTest {
  private static final StudyKey KEY = StudyKey.of(new byte[32]);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ACT_CODES = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
  private static final String ENCOUNTERS = """
      {"resourceType": "ViewDefinition", "name": "encounters", "resource": "Encounter",
       "select": [{"column": [
         {"name": "encounter", "path": "getResourceKey()"},
         {"name": "class", "path": "class.code"},
         {"name": "started_on", "path": "period.start"}]}]}""";
  private static SyntheticStudy synthetic;
  private static DemoClinics clinics;

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final TemporaryFolder temp = new TemporaryFolder();

  @BeforeClass
  public static void startClinics() {
    synthetic = SyntheticStudy.generate(29, 4, null, true);
    clinics = DemoStudy.startClinics(synthetic);
  }

  @AfterClass
  public static void stopClinics() {
    clinics.close();
  }

  private StudyRun.Result run(Study study) throws Exception {
    RunLayout layout = new RunLayout(temp.getRoot().toPath(), "views-run");
    layout.create();
    StudyPipeline.build(pipeline, study, KEY, layout, SyntheticStudy.REFERENCE_DATE);
    return StudyRun.publish(study, PipelineRun.execute(pipeline, study, layout, Instant.now(),
        ProgressReporter.Display.lines(line -> { })));
  }

  private static long infusions() {
    return synthetic.clinics().stream().mapToLong(c -> c.resources().stream()
        .filter(r -> r.fhirType().equals("MedicationAdministration")).count()).sum();
  }

  @Test
  public void theDemoViewsArePublishedAndJoinTheFixedTables() throws Exception {
    StudyRun.Result result = run(DemoStudy.against(clinics));
    assertEquals(StudyRun.Status.SUCCESS, result.status());
    Path research = result.layout().research().toRealPath();
    for (String view : List.of("ketamine_dose", "blood_pressure")) {
      assertTrue(view, Files.isRegularFile(research.resolve("views/" + view + "/" + view
          + ".avsc")));
    }
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = db.createStatement()) {
      String dose = "read_parquet('" + research + "/views/ketamine_dose/*.parquet')";
      String bp = "read_parquet('" + research + "/views/blood_pressure/*.parquet')";
      String treatments = "read_parquet('" + research + "/treatments/*.parquet')";
      String participants = "read_parquet('" + research + "/participants/*.parquet')";
      long n = infusions();
      assertEquals(n, one(s, "SELECT count(*) FROM " + dose));
      assertEquals(2 * n, one(s, "SELECT count(*) FROM " + bp));
      // Pseudonyms and shifted dates are the fixed tables': every administration is a
      // treatment of the same participant on the same (shifted) day.
      assertEquals(n, one(s, "SELECT count(*) FROM " + dose + " d JOIN " + treatments
          + " t ON d.administration = t.record_id AND d.participant_id = t.participant_id"
          + " AND d.given_on = t.administration_date"));
      assertEquals(0L, one(s, "SELECT count(*) FROM " + dose + " WHERE participant_id NOT IN"
          + " (SELECT participant_id FROM " + participants + ")"));
      assertEquals(List.of("completed|47625008|mg"), strings(s, "SELECT DISTINCT status || '|'"
          + " || route || '|' || dose_unit FROM " + dose));
      assertEquals(List.of("6130", "KETAMINE-IV"), strings(s, "SELECT DISTINCT medication FROM "
          + dose + " ORDER BY 1"));
      assertEquals(List.of("25.0|60.0"), strings(s, "SELECT min(dose) || '|' || max(dose)"
          + " FROM " + dose));
      // Blood pressure: each infusion's two readings, on its day, higher after it.
      assertEquals(n, one(s, "SELECT count(*) FROM " + bp + " b JOIN " + treatments + " t ON"
          + " b.infusion = t.record_id AND b.measured_on = t.administration_date"
          + " WHERE b.timing = 'pre-infusion'"));
      assertEquals(n, one(s, "SELECT count(*) FROM " + bp + " pre JOIN " + bp + " post"
          + " USING (infusion) WHERE pre.timing = 'pre-infusion' AND post.timing ="
          + " 'post-infusion' AND post.systolic > pre.systolic"
          + " AND post.diastolic > pre.diastolic"));
      assertEquals(List.of("mm[Hg]"), strings(s, "SELECT DISTINCT unit FROM " + bp));
      // Rows per view and clinic, small cells withheld.
      assertEquals(List.of("blood_pressure", "ketamine_dose"), strings(s, "SELECT DISTINCT view"
          + " FROM read_parquet('" + research + "/view_rows/*.parquet') ORDER BY 1"));
      assertEquals(2 * n, one(s, "SELECT sum(rows) FROM read_parquet('" + research
          + "/view_rows/*.parquet') WHERE view = 'blood_pressure'"));
    }
    try (ResearchQuery query = ResearchQuery.open(temp.getRoot().toPath())) {
      assertTrue(query.tables().toString(), query.tables().containsAll(
          List.of("views.blood_pressure", "views.ketamine_dose", "view_rows")));
      assertEquals(List.of(List.of(infusions())), query.execute(
          "SELECT count(*) FROM views.ketamine_dose").rows());
    }
  }

  @Test
  public void valuesThatBreakARuleStopTheRunBeforeItIsPublished() throws Exception {
    Study demo = DemoStudy.against(clinics);
    List<StudyView> views = new ArrayList<>();
    for (StudyView v : demo.viewsOrEmpty()) {
      Map<String, StudyView.Release> columns = new LinkedHashMap<>(v.columns());
      if (v.name().equals("blood_pressure")) { // timing is coded locally, not in LOINC
        columns.put("timing", new StudyView.Release(StudyView.Rule.CODE,
            List.of("http://loinc.org")));
      }
      views.add(new StudyView(v.name(), v.source(), v.json(), columns, v.codes()));
    }
    Study study = new Study(demo.id(), demo.source(), demo.clinics(), demo.catalog(),
        demo.deid(), demo.cohort(), demo.schedule(), views);

    StudyRun.Result result = run(study);

    assertEquals(StudyRun.Status.BAD_CONFIG, result.status());
    assertFalse(result.published());
    assertFalse(Files.exists(result.layout().research()));
    Path staged = result.layout().researchStaging().resolve("views/blood_pressure");
    assertFalse("no row broke nothing: none written",
        Files.exists(staged) && Files.list(staged).anyMatch(f -> f.toString()
            .endsWith(".parquet")));
  }

  @Test
  public void aViewOverATypeNoTimelineReadsHasItPulledAndAccounted() throws Exception {
    Study demo = DemoStudy.against(clinics);
    Study.Clinic summit = demo.clinicsById().get("summit"); // the NDJSON clinic
    Path folder = temp.newFolder("summit-with-encounters").toPath();
    List<String> patients = new ArrayList<>();
    try (var files = Files.list(Path.of(summit.source().directory()))) {
      for (Path f : files.toList()) {
        Files.copy(f, folder.resolve(f.getFileName()));
      }
    }
    for (String line : Files.readAllLines(folder.resolve("Patient.ndjson"))) {
      patients.add(JSON.readTree(line).path("id").asText());
    }
    List<String> encounters = new ArrayList<>();
    for (String patient : patients) {
      for (int i = 1; i <= 2; i++) {
        encounters.add(("{\"resourceType\":\"Encounter\",\"id\":\"%s-e%d\",\"status\":"
            + "\"finished\",\"class\":{\"system\":\"%s\",\"code\":\"AMB\"},\"subject\":"
            + "{\"reference\":\"Patient/%s\"},\"period\":{\"start\":\"2025-03-0%dT10:00:00Z\"}}")
            .formatted(patient, i, ACT_CODES, patient, i));
      }
    }
    Files.write(folder.resolve("Encounter.ndjson"), encounters);
    List<StudyView> views = new ArrayList<>(demo.viewsOrEmpty());
    views.add(new StudyView("encounters", "test", ENCOUNTERS, Map.of(
        "encounter", new StudyView.Release(StudyView.Rule.PSEUDONYM, List.of()),
        "class", new StudyView.Release(StudyView.Rule.CODE, List.of(ACT_CODES)),
        "started_on", new StudyView.Release(StudyView.Rule.SHIFT_DATE, List.of())),
        List.of()));
    Study study = new Study(demo.id(), demo.source(),
        List.of(summit.withSource(summit.source().withDirectory(folder.toString()))),
        demo.catalog(), demo.deid(), demo.cohort(), demo.schedule(), views);

    StudyRun.Result result = run(study);

    assertEquals(StudyRun.Status.SUCCESS, result.status());
    long n = encounters.size();
    assertEquals(n, result.summary().total("summit", "Encounter", Outcome.READ));
    assertEquals(n, result.summary().total("summit", "Encounter", Outcome.FILTERED));
    assertEquals(n, result.summary().reason(Reason.VIEW_ONLY.name()));
    Path research = result.layout().research().toRealPath();
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = db.createStatement()) {
      String table = "read_parquet('" + research + "/views/encounters/*.parquet')";
      String participants = "read_parquet('" + research + "/participants/*.parquet')";
      assertEquals(n, one(s, "SELECT count(*) FROM " + table));
      assertEquals(n, one(s, "SELECT count(DISTINCT encounter) FROM " + table));
      assertEquals(0L, one(s, "SELECT count(*) FROM " + table + " WHERE participant_id NOT IN"
          + " (SELECT participant_id FROM " + participants + ")"));
      assertEquals(List.of("AMB"), strings(s, "SELECT DISTINCT class FROM " + table));
      // Each participant's two days, a day apart, moved by the participant's own shift.
      assertEquals((long) patients.size(), one(s, "SELECT count(*) FROM (SELECT participant_id"
          + " FROM " + table + " GROUP BY 1 HAVING max(started_on) - min(started_on) = 1)"));
      assertTrue(one(s, "SELECT count(DISTINCT started_on) FROM " + table) > 2);
      assertEquals(0L, one(s, "SELECT count(*) FROM " + table + " WHERE encounter LIKE '%-e%'"));
    }
  }

  private static long one(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static List<String> strings(Statement s, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }
}
