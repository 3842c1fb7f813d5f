package org.longitude.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.longitude.common.Schemas;
import org.longitude.config.Source;
import org.longitude.config.Study;
import org.longitude.config.StudyKey;
import org.longitude.demo.ClinicServerOptions;
import org.longitude.demo.DemoClinic;
import org.longitude.demo.DemoClinics;
import org.longitude.demo.DemoStudy;
import org.longitude.demo.FaultPlan;
import org.longitude.demo.SyntheticStudy;
import org.longitude.extract.PullState;
import org.longitude.operate.StudyRun;

/**
 * Incremental runs against embedded clinics over real HTTP, research Parquet read back: a run,
 * changes on the clinics (new, updated, retracted resources), an incremental run, and a full
 * re-pull into a fresh output must give the same research tables, row for row (but run_id).
 */
class IncrementalRunTest {
  private static final StudyKey KEY = StudyKey.of(new byte[32]);
  private static final List<String> TABLES = List.of(Schemas.OBSERVATIONS, "participants",
      "treatments", "outcomes", "survival", "landmarks", "course_outcomes", "attrition");

  @TempDir Path temp;

  private static PipelineOptions options() {
    PipelineOptions options = PipelineOptionsFactory.create();
    PipelineRun.tuneForProduction(options); // several whole runs per test: skip per-element checks
    return options;
  }

  /**
   * The demo study against running clinics, searched with one page per search; harbor keeps
   * its Bulk Data export (incremental by {@code _since}) when {@code harborByExport}.
   */
  private static Study study(DemoClinics clinics, boolean harborByExport) {
    Study study = DemoStudy.against(clinics);
    List<Study.Clinic> sources = new ArrayList<>();
    for (Study.Clinic c : study.clinics()) {
      boolean export = harborByExport && c.source().kind() == Source.Kind.BULK_EXPORT;
      sources.add(export ? c : c.withSource(new Source(Source.Kind.FHIR_SEARCH,
          clinics.clinic(c.id()).baseUrl(), 1000, null)));
    }
    return study.withClinics(sources);
  }

  private static StudyRun.Result run(Study study, Path out, String runId, PullMode mode)
      throws IOException {
    return StudyRun.run(study, KEY, out, options(), runId, SyntheticStudy.REFERENCE_DATE, mode);
  }

  @Test
  void incrementalRunEqualsAFullRePull() throws Exception {
    SyntheticStudy synthetic = SyntheticStudy.generate(11, 8);
    // The clinics answer repeated identical searches from a stale cache, as HAPI JPA does:
    // the full re-pull below repeats run 1's searches and must still see the changes.
    try (DemoClinics clinics = DemoClinics.start(synthetic,
        ClinicServerOptions.defaults().withStaleSearchCache(Duration.ofMinutes(5)))) {
      Study study = study(clinics, true);
      Path out = temp.resolve("out");
      StudyRun.Result first = run(study, out, "r1", PullMode.incremental());
      assertEquals(StudyRun.Status.SUCCESS, first.status());
      PullState afterFirst = PullState.read(out.resolve("restricted"));
      assertEquals(Set.of("north", "harbor", "summit"), afterFirst.clinics().keySet());
      afterFirst.clinics().values().forEach(c -> assertEquals(List.of("r1"), c.landings()));

      Thread.sleep(5); // changes get a later millisecond than the marks (server clock)
      DemoClinic north = clinics.clinic("north");
      List<Observation> northScores = datedScores(synthetic, "north");
      Observation updated = (Observation) north.history("Observation",
          northScores.get(0).getIdElement().getIdPart()).get(0);
      DateTimeType when = updated.getEffectiveDateTimeType();
      updated.setEffective(new DateTimeType(Date.from(when.getValue().toInstant()
          .minus(1, ChronoUnit.DAYS)), when.getPrecision()));
      north.upsert(updated);
      north.retract("Observation", northScores.get(1).getIdElement().getIdPart());
      DemoClinic harbor = clinics.clinic("harbor");
      String administration = synthetic.clinic("harbor").resources().stream()
          .filter(MedicationAdministration.class::isInstance).findFirst().orElseThrow()
          .getIdElement().getIdPart();
      harbor.retract("MedicationAdministration", administration);
      DemoClinic summit = clinics.clinic("summit");
      Observation added = datedScores(synthetic, "summit").get(0).copy();
      added.setId("incremental-new-1");
      DateTimeType addedWhen = added.getEffectiveDateTimeType();
      added.setEffective(new DateTimeType(Date.from(addedWhen.getValue().toInstant()
          .plus(3, ChronoUnit.DAYS)), addedWhen.getPrecision()));
      summit.upsert(added);

      StudyRun.Result second = run(study, out, "r2", PullMode.incremental());
      assertEquals(StudyRun.Status.SUCCESS, second.status());
      assertTrue(second.summary().imbalances().isEmpty(), second.summary().imbalances()::toString);
      // Every clinic merged its earlier landing, counted apart in the summary.
      assertEquals(Set.of("north", "harbor", "summit"), second.summary().reread().keySet());
      assertTrue(second.summary().render().contains("re-read from earlier landings"));
      // Only the changes were pulled: north's landing holds its two changed Observations.
      assertEquals(2, landedLines(out, "r2", "north", "Observation"));
      assertEquals(0, landedLines(out, "r2", "north", "Patient"));
      PullState afterSecond = PullState.read(out.resolve("restricted"));
      assertEquals(List.of("r1", "r2"), afterSecond.clinics().get("north").landings());
      assertTrue(Instant.parse(afterSecond.clinics().get("north").highWaterMark())
          .isAfter(Instant.parse(afterFirst.clinics().get("north").highWaterMark())));

      StudyRun.Result fresh = run(study, temp.resolve("fresh"), "f1", PullMode.incremental());
      assertEquals(StudyRun.Status.SUCCESS, fresh.status());
      for (String table : TABLES) {
        assertEquals(rows(out, "r2", table), rows(temp.resolve("fresh"), "f1", table), table);
      }
      // The changes reached the outputs: the tables differ from run 1's.
      assertNotEquals(rows(out, "r1", Schemas.OBSERVATIONS), rows(out, "r2", Schemas.OBSERVATIONS));
      assertNotEquals(rows(out, "r1", "treatments"), rows(out, "r2", "treatments"));
      assertEquals("r2", ParquetTables.read(research(out, "r2"), "participants").get(0)
          .get("run_id").toString());

      // A re-run from r2's landing (which merged r1's) pulls nothing, advances no mark, and
      // gives r2's tables with r2's run id.
      String state = Files.readString(PullState.path(out.resolve("restricted")));
      StudyRun.Result again = run(study, out, "r2-again", PullMode.fromLanding("r2"));
      assertEquals(StudyRun.Status.SUCCESS, again.status());
      assertEquals(state, Files.readString(PullState.path(out.resolve("restricted"))));
      assertEquals(0, landedLines(out, "r2-again", "north", "Observation"), "nothing pulled");
      for (String table : TABLES) {
        assertEquals(rowsWithRunId(out, "r2", table), rowsWithRunId(out, "r2-again", table),
            table);
      }
    }
  }

  @Test
  void aFailedClinicKeepsItsMarkAndItsDataFlowsFromTheNextRun() throws Exception {
    SyntheticStudy synthetic = SyntheticStudy.generate(12, 6);
    ClinicServerOptions defaults = ClinicServerOptions.defaults();
    // harbor answers its first run's four searches, then every request with HTML.
    try (DemoClinics clinics = DemoClinics.start(synthetic, defaults, Map.of("harbor",
        defaults.withFaults(FaultPlan.none().with(
            new FaultPlan.Rule(FaultPlan.Fault.NOT_JSON, false, 5, 1, Integer.MAX_VALUE)))))) {
      Study study = study(clinics, false);
      Path out = temp.resolve("out");
      assertEquals(StudyRun.Status.SUCCESS, run(study, out, "r1", PullMode.incremental()).status());
      PullState before = PullState.read(out.resolve("restricted"));

      StudyRun.Result second = run(study, out, "r2", PullMode.incremental());

      assertEquals(StudyRun.Status.PARTIAL, second.status());
      assertEquals(Set.of("harbor"), second.summary().failedClinics());
      PullState after = PullState.read(out.resolve("restricted"));
      assertEquals(before.clinics().get("harbor"), after.clinics().get("harbor"));
      assertEquals(List.of("r1", "r2"), after.clinics().get("north").landings());
      // harbor's earlier data still reached the outputs: its participants are there.
      assertTrue(ParquetTables.read(research(out, "r2"), "participants").stream()
          .anyMatch(r -> r.get("clinic").toString().equals("harbor")));
    }
  }

  /** The clinic's Observations of the study with a dateTime effective, final. */
  private static List<Observation> datedScores(SyntheticStudy synthetic, String clinic) {
    List<Observation> scores = new ArrayList<>();
    for (Resource r : synthetic.clinic(clinic).resources()) {
      if (r instanceof Observation o && o.hasEffectiveDateTimeType()
          && o.getStatus() == Observation.ObservationStatus.FINAL && o.hasValue()) {
        scores.add(o);
      }
    }
    return scores;
  }

  private static Path research(Path out, String runId) {
    return out.resolve("runs").resolve(runId).resolve("research");
  }

  /** A table's rows without run_id, as sorted field maps. */
  private static List<String> rows(Path out, String runId, String table) throws IOException {
    List<String> rows = new ArrayList<>();
    for (GenericRecord r : ParquetTables.read(research(out, runId), table)) {
      Map<String, String> fields = new TreeMap<>();
      for (Schema.Field f : r.getSchema().getFields()) {
        if (!f.name().equals("run_id")) {
          fields.put(f.name(), String.valueOf(r.get(f.name())));
        }
      }
      rows.add(fields.toString());
    }
    rows.sort(null);
    return rows;
  }

  private static List<String> rowsWithRunId(Path out, String runId, String table)
      throws IOException {
    List<String> rows = new ArrayList<>();
    ParquetTables.read(research(out, runId), table).forEach(r -> rows.add(r.toString()));
    rows.sort(null);
    return rows;
  }

  private static long landedLines(Path out, String runId, String clinic, String type)
      throws IOException {
    Path dir = out.resolve("restricted/landing").resolve(runId).resolve(clinic);
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    long n = 0;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(f -> f.getFileName().toString().startsWith(type + "-"))
          .toList()) {
        n += Files.readAllLines(f).stream().filter(l -> !l.isBlank()).count();
      }
    }
    return n;
  }
}
