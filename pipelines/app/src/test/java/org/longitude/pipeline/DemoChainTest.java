package org.longitude.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Count;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.longitude.common.Outcome;
import org.longitude.common.Schemas;
import org.longitude.config.Study;
import org.longitude.config.StudyKey;
import org.longitude.deid.Pseudonyms;
import org.longitude.demo.ClinicDataset;
import org.longitude.demo.DemoClinics;
import org.longitude.demo.DemoStudy;
import org.longitude.demo.GroundTruth;
import org.longitude.demo.Measure;
import org.longitude.demo.SyntheticStudy;
import org.longitude.operate.StudyRun;

/**
 * The whole chain on a Beam TestPipeline (DirectRunner with its checks on) against the
 * embedded demo clinics over real HTTP, with the research Parquet read back and compared with
 * the generator's ground truth.
 */
public class DemoChainTest {
  private static final StudyKey KEY = StudyKey.of(new byte[] {
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
      17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32});
  private static SyntheticStudy synthetic;
  private static DemoClinics clinics;

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final TemporaryFolder temp = new TemporaryFolder();

  @BeforeClass
  public static void startClinics() {
    synthetic = SyntheticStudy.generate(7, 40);
    clinics = DemoClinics.start(synthetic);
  }

  @AfterClass
  public static void stopClinics() {
    clinics.close();
  }

  @Test
  public void chainOverHttpMatchesGroundTruth() throws Exception {
    Study study = DemoStudy.against(clinics);
    RunLayout layout = new RunLayout(temp.getRoot().toPath(), "test-run");
    layout.create();
    StudyPipeline.Built built = StudyPipeline.build(pipeline, study, KEY, layout,
        SyntheticStudy.REFERENCE_DATE);
    long participants = synthetic.clinics().stream()
        .mapToLong(c -> c.truth().participants().size()).sum();
    PAssert.thatSingleton(built.timelines().apply(Count.globally())).isEqualTo(participants);

    StudyRun.Result result = StudyRun.execute(pipeline, study, layout, Instant.now());

    RunSummary summary = result.summary();
    assertThat(summary.imbalances(), empty());
    assertEquals(StudyRun.Status.SUCCESS, result.status());
    long served = 0;
    for (ClinicDataset c : synthetic.clinics()) {
      served += c.resources().size();
    }
    assertEquals("every served resource is read once", served,
        summary.total(null, null, Outcome.READ));

    Path research = layout.research();
    assertTrue(Files.isSymbolicLink(research));
    assertEquals("rwx------", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(layout.restricted())));
    assertObservationsMatchGroundTruth(ParquetTables.read(research, Schemas.OBSERVATIONS));
    assertEquals(participants, ParquetTables.read(research, Schemas.PARTICIPANTS).size());
    assertThat(ParquetTables.read(research, Schemas.OUTCOMES).size(), greaterThan(0));
    assertThat(ParquetTables.read(research, Schemas.SURVIVAL).size(), greaterThan(0));
  }

  /** Per participant and measure, the (day since index, score) pairs equal the truth's. */
  private static void assertObservationsMatchGroundTruth(List<GenericRecord> rows) {
    Map<String, List<String>> actual = new TreeMap<>();
    for (GenericRecord r : rows) {
      actual.computeIfAbsent(r.get("participant_id") + "/" + r.get("measure"),
          k -> new ArrayList<>()).add(r.get("days_since_index") + ":" + r.get("score"));
    }
    Map<String, List<String>> expected = new TreeMap<>();
    Pseudonyms pseudonyms = new Pseudonyms(KEY, 182);
    long expectedRows = 0;
    for (ClinicDataset c : synthetic.clinics()) {
      for (GroundTruth.Participant p : c.truth().participants().values()) {
        String id = pseudonyms.participant(c.clinicId(), p.patientId());
        for (Measure m : Measure.values()) {
          for (GroundTruth.Score s : p.scores(m)) {
            expected.computeIfAbsent(id + "/" + m.name(), k -> new ArrayList<>())
                .add(ChronoUnit.DAYS.between(p.indexDate(), s.date()) + ":" + s.total());
            expectedRows++;
          }
        }
      }
    }
    expected.values().forEach(Collections::sort);
    actual.values().forEach(Collections::sort);
    assertEquals(expectedRows, rows.size());
    assertEquals(expected, actual);
  }
}
