package org.longitude.normalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longitude.common.Outcome;
import org.longitude.common.Reason;
import org.longitude.config.ClinicMapping;
import org.longitude.config.Location;
import org.longitude.config.Study;
import org.longitude.config.StudyKey;
import org.longitude.config.StudyLoader;
import org.longitude.pipeline.RunSummary;
import org.longitude.operate.StudyRun;
import org.longitude.testing.StudyFiles;

/** Every deliberately bad input lands in exactly one place, with its reason. */
class BadInputCorpusTest {
  private static final LocalDate TODAY = LocalDate.of(2026, 6, 30);
  private static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";

  static Stream<BadInputs.Case> recordCases() {
    return BadInputs.recordCases().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("recordCases")
  void eachRecordGetsItsReason(BadInputs.Case c) {
    ClinicMapping mapping = new ClinicMapping("corpus", List.of(),
        List.of(new ClinicMapping.Coding("http://loinc.org", "8310-5")),
        List.of(new ClinicMapping.Coding(RXNORM, "6130")));
    Study demo = StudyLoader.load(StudyLoader.DEMO);
    ResourceReader.Result r = new ResourceReader("corpus", demo.catalog(), mapping, TODAY)
        .read(c.resourceType(), c.line());
    if (c.reason() == Reason.STATUS_ENTERED_IN_ERROR) {
      assertInstanceOf(Fact.RetractionFact.class, r.fact());
      return;
    }
    assertNotNull(r.dropped(), c.name() + " was kept");
    assertEquals(c.reason(), r.dropped().reason(), c.name());
  }

  @Test
  void pipelineAccountsForEveryBadInput(@TempDir Path dir) throws Exception {
    List<BadInputs.Case> cases = new ArrayList<>(BadInputs.recordCases());
    cases.addAll(BadInputs.participantCases());
    assertTrue(cases.size() >= 30, "the corpus has " + cases.size() + " cases");
    Path data = Files.createDirectories(dir.resolve("data"));
    List<String> observations = new ArrayList<>(BadInputs.goodObservations());
    observations.add(BadInputs.retractionOfC5());
    List<String> administrations = new ArrayList<>(
        List.of(BadInputs.administration("m-good", "completed", "6130")));
    for (BadInputs.Case c : cases) {
      (c.resourceType().equals("Observation") ? observations : administrations).add(c.line());
    }
    Files.write(data.resolve("Observation.ndjson"), observations);
    Files.write(data.resolve("MedicationAdministration.ndjson"), administrations);
    Files.writeString(data.resolve("Patient.ndjson"), "{\"resourceType\":\"Patient\",\"id\":\"p1\","
        + "\"birthDate\":\"1980-01-01\",\"name\":[{\"family\":\"Doe\"}]}\n");
    Study study = StudyLoader.load(Location.file(writeStudy(dir)));

    PipelineOptions options = PipelineOptionsFactory.create();
    options.setRunner(DirectRunner.class);
    StudyRun.Result result = StudyRun.run(study,
        StudyKey.of("corpus-test-key-of-at-least-32-bytes".getBytes()), dir.resolve("out"),
        options, "corpus", TODAY);
    RunSummary summary = result.summary();

    assertEquals(List.of(), summary.imbalances());
    Map<Reason, Long> expected = new TreeMap<>();
    cases.forEach(c -> expected.merge(c.reason(), 1L, Long::sum));
    expected.merge(Reason.STATUS_ENTERED_IN_ERROR, 1L, Long::sum); // the retraction of c5
    expected.forEach((reason, n) -> assertEquals(n, summary.reason(reason.name()), reason.name()));
    assertEquals(3, summary.total("corpus", "Observation", Outcome.WRITTEN));
    assertEquals(observations.size(), summary.total("corpus", "Observation", Outcome.READ));
    long quarantined = cases.stream().filter(c -> c.reason().quarantined()).count();
    assertEquals(quarantined, restrictedQuarantineLines(result.layout().quarantine()));
  }

  private static long restrictedQuarantineLines(Path quarantine) throws IOException {
    try (Stream<Path> files = Files.walk(quarantine)) {
      long lines = 0;
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        lines += Files.readAllLines(f).stream().filter(l -> !l.isBlank()).count();
      }
      return lines;
    }
  }

  private static Path writeStudy(Path dir) throws IOException {
    Files.writeString(dir.resolve("corpus.yaml"), """
        clinic: corpus
        ignore:
          - {system: "http://loinc.org", code: "8310-5"}
        medications:
          - {system: "%s", code: "6130"}
        """.formatted(RXNORM));
    return StudyFiles.oneClinicStudy(dir, "corpus", "corpus", "corpus.yaml",
        "{kind: ndjson, directory: data}");
  }
}
