package org.longitude.extract;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.testing.TestPipeline;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Resource;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.longitude.config.Source;
import org.longitude.config.Study;
import org.longitude.config.StudyKey;
import org.longitude.config.StudyLoader;
import org.longitude.demo.ClinicServerOptions;
import org.longitude.demo.DemoClinics;
import org.longitude.demo.DemoStudy;
import org.longitude.demo.FaultPlan;
import org.longitude.demo.FaultPlan.Fault;
import org.longitude.demo.SyntheticStudy;
import org.longitude.pipeline.RunLayout;
import org.longitude.pipeline.StudyPipeline;
import org.longitude.operate.StudyRun;

/**
 * A whole run over three clinics: north injects transient faults, harbor fails for good on a
 * later page, summit is healthy. North and summit land exactly the server's resources, each
 * once; harbor is marked failed and the run is partial.
 */
public class PartialRunTest {
  private static final StudyKey KEY = StudyKey.of(new byte[32]);
  private static SyntheticStudy synthetic;
  private static DemoClinics clinics;

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final TemporaryFolder temp = new TemporaryFolder();

  @BeforeClass
  public static void startClinics() {
    synthetic = SyntheticStudy.generate(3, 8);
    ClinicServerOptions defaults = ClinicServerOptions.defaults();
    clinics = DemoClinics.start(synthetic, defaults, Map.of(
        "north", defaults.withFaults(FaultPlan.none().withRetryAfterSeconds(0)
            .with(FaultPlan.every(Fault.UNAVAILABLE, 5))
            .with(FaultPlan.at(Fault.CONNECTION_RESET, 3))
            .with(FaultPlan.at(Fault.SERVER_ERROR, 2).onPages())),
        "harbor", defaults.withFaults(FaultPlan.none()
            .with(FaultPlan.at(Fault.OPERATION_OUTCOME, 2).onPages()))));
  }

  @AfterClass
  public static void stopClinics() {
    clinics.close();
  }

  @Test
  public void failedClinicMakesThePartialRunAndOthersLandEverythingOnce() throws Exception {
    Study study = DemoStudy.against(clinics);
    List<Study.Clinic> paged = new ArrayList<>();
    for (Study.Clinic c : study.clinics()) {
      paged.add(c.withSource(new Source(Source.Kind.FHIR_SEARCH,
          clinics.clinic(c.id()).baseUrl(), 15, null)));
    }
    study = study.withClinics(paged);
    RunLayout layout = new RunLayout(temp.getRoot().toPath(), "partial-run");
    layout.create();
    StudyPipeline.build(pipeline, study, KEY, layout, SyntheticStudy.REFERENCE_DATE);

    StudyRun.Result result = StudyRun.execute(pipeline, study, layout, Instant.now());

    assertEquals(StudyRun.Status.PARTIAL, result.status());
    assertEquals(Set.of("harbor"), result.summary().failedClinics());
    assertTrue(result.summary().imbalances().isEmpty());
    assertTrue(result.summary().render().contains("clinic harbor: FAILED"));
    assertTrue(clinics.clinic("north").injected(Fault.UNAVAILABLE) > 0);
    assertEquals(1, clinics.clinic("harbor").injected(Fault.OPERATION_OUTCOME));
    for (String clinic : List.of("north", "summit")) {
      Study.Clinic config = study.clinicsById().get(clinic);
      for (String type : Study.TIMELINE_TYPES) {
        List<String> landed = landedIds(layout.landing().resolve(clinic), type);
        assertEquals(clinic + "/" + type + " duplicates", new HashSet<>(landed).size(),
            landed.size());
        assertEquals(clinic + "/" + type, expected(study, config, type), new HashSet<>(landed));
      }
    }
  }

  /** What the server holds of a type that the study asks for. */
  private static Set<String> expected(Study study, Study.Clinic clinic, String type) {
    Set<String> codes = new HashSet<>(study.observationCodes(clinic));
    return synthetic.clinic(clinic.id()).resources().stream()
        .filter(r -> r.fhirType().equals(type))
        .filter(r -> !(r instanceof Observation o) || o.getCode().getCoding().stream()
            .map(PartialRunTest::token).anyMatch(codes::contains))
        .map(Resource::getIdElement).map(i -> i.getIdPart()).collect(Collectors.toSet());
  }

  private static String token(Coding c) {
    return (c.hasSystem() ? c.getSystem() : "") + "|" + c.getCode();
  }

  private static List<String> landedIds(Path dir, String type) throws IOException {
    List<String> ids = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(f -> f.getFileName().toString().startsWith(type + "-"))
          .toList()) {
        for (String line : Files.readAllLines(f)) {
          if (!line.isBlank()) {
            ids.add(FaultyClinicPullTest.id(line));
          }
        }
      }
    }
    return ids;
  }
}
