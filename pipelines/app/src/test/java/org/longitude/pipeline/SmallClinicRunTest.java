package org.longitude.pipeline;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.testing.TestPipeline;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.longitude.common.Outcome;
import org.longitude.common.Schemas;
import org.longitude.config.Study;
import org.longitude.config.StudyKey;
import org.longitude.demo.DemoClinics;
import org.longitude.demo.DemoStudy;
import org.longitude.demo.SyntheticStudy;
import org.longitude.operate.StudyRun;

/**
 * A real run over demo clinics with 7 participants each: every clinic's Patient count is a
 * small cell. The research zone withholds it (and the run folder's summary too); the
 * restricted zone has it exactly; and the run shows progress per clinic with its final counts.
 */
public class SmallClinicRunTest {
  private static final StudyKey KEY = StudyKey.of(new byte[32]);
  private static SyntheticStudy synthetic;
  private static DemoClinics clinics;

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final TemporaryFolder temp = new TemporaryFolder();

  @BeforeClass
  public static void startClinics() {
    synthetic = SyntheticStudy.generate(11, 7);
    clinics = DemoClinics.start(synthetic);
  }

  @AfterClass
  public static void stopClinics() {
    clinics.close();
  }

  @Test
  public void smallPatientCountsStayInTheRestrictedZone() throws Exception {
    Study study = DemoStudy.against(clinics);
    RunLayout layout = new RunLayout(temp.getRoot().toPath(), "small-run");
    layout.create();
    StudyPipeline.build(pipeline, study, KEY, layout, SyntheticStudy.REFERENCE_DATE);
    List<String> progress = new ArrayList<>();

    StudyRun.Result result = StudyRun.publish(study, PipelineRun.execute(pipeline, study,
        layout, Instant.now(), ProgressReporter.Display.lines(progress::add)));

    assertEquals(StudyRun.Status.SUCCESS, result.status());
    List<GenericRecord> research = ParquetTables.read(layout.research(), Schemas.RUN_SUMMARY);
    List<GenericRecord> exact = ParquetTables.read(layout.restrictedSummary(),
        Schemas.RUN_SUMMARY);
    for (Study.Clinic clinic : study.clinics()) {
      long patients = synthetic.clinic(clinic.id()).resources().stream()
          .filter(r -> r.fhirType().equals("Patient")).count();
      assertTrue(clinic.id() + " has a small number of patients: " + patients,
          patients >= 1 && patients <= 10);
      GenericRecord shown = patientRead(research, clinic.id());
      assertNull(shown.get("records"));
      assertEquals(true, shown.get("suppressed"));
      assertEquals(patients, patientRead(exact, clinic.id()).get("records"));
    }
    assertNoSmallCount(layout.research());
    assertNoSmallPatientCountIn(layout.runDir().resolve("summary.txt"));
    assertTrue(Files.readString(layout.restrictedSummary().resolve("summary.txt"))
        .contains("Patient"));

    String last = progress.get(progress.size() - 1);
    assertTrue(last, last.startsWith("progress (done): "));
    for (Study.Clinic clinic : study.clinics()) {
      long read = result.summary().total(clinic.id(), null, Outcome.READ);
      assertTrue(last, last.contains(String.format(Locale.ROOT, "%s: %,d resources, ",
          clinic.id(), read)));
    }
    for (Study.Clinic clinic : study.clinics()) {
      if (clinic.source().kind() == org.longitude.config.Source.Kind.FHIR_SEARCH) {
        assertFalse("search pages are counted per clinic: " + last,
            last.matches(".*" + clinic.id() + ": [^;]*? 0 pages.*"));
      }
    }
  }

  private static GenericRecord patientRead(List<GenericRecord> rows, String clinic) {
    return rows.stream().filter(r -> r.get("clinic").toString().equals(clinic)
        && r.get("resource_type").toString().equals("Patient")
        && r.get("outcome").toString().equals("read")).findFirst().orElseThrow();
  }

  /** Decodes every Parquet and Avro file of the count tables: no count from 1 to 10. */
  private static void assertNoSmallCount(Path research) throws IOException {
    int files = 0;
    for (String table : List.of(Schemas.RUN_SUMMARY, Schemas.QUARANTINE)) {
      List<GenericRecord> rows = new ArrayList<>(ParquetTables.read(research, table));
      try (Stream<Path> avro = Files.list(research.resolve(table))) {
        for (Path f : avro.filter(p -> p.toString().endsWith(".avro")).toList()) {
          try (DataFileReader<GenericRecord> in =
              new DataFileReader<>(f.toFile(), new GenericDatumReader<>())) {
            in.forEach(rows::add);
          }
          files++;
        }
      }
      for (GenericRecord r : rows) {
        Object n = r.get("records");
        assertTrue(table + " holds a small count: " + r,
            n == null || (Long) n == 0 || (Long) n > 10);
        assertEquals(table + ": withheld exactly when null", n == null, r.get("suppressed"));
      }
    }
    assertEquals("one Avro file per count table", 2, files);
  }

  private static void assertNoSmallPatientCountIn(Path summaryTxt) throws IOException {
    for (String line : Files.readAllLines(summaryTxt)) {
      if (line.contains(" Patient ")) {
        for (String token : line.trim().split(" +")) {
          assertFalse(line, token.matches("[1-9]|10"));
        }
      }
    }
  }
}
