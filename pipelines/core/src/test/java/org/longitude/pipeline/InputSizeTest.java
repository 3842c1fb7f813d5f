package org.longitude.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.longitude.config.Source;
import org.longitude.config.Study;
import org.longitude.config.StudyLoader;

/** A run's input is known before it starts only when every clinic is a local NDJSON folder. */
class InputSizeTest {
  private static final Study DEMO = StudyLoader.load(StudyLoader.DEMO);

  @Test
  void localNdjsonFoldersAddUp(@TempDir Path dir) throws IOException {
    Path north = write(dir.resolve("north"), "Observation.ndjson", 300);
    write(north.resolve("nested"), "Patient.ndjson", 20);
    Path summit = write(dir.resolve("summit"), "Observation.ndjson", 100);

    assertEquals(OptionalLong.of(420), InputSize.of(
        study(ndjson(north.toString()), ndjson(summit.toString())), dir.resolve("out"),
        PullMode.incremental()));
  }

  @Test
  void unknownWhenAClinicIsPulledOverHttpOrLiesElsewhere(@TempDir Path dir) throws IOException {
    Path north = write(dir.resolve("north"), "Observation.ndjson", 300);
    Path out = dir.resolve("out");

    assertEquals(OptionalLong.empty(), InputSize.of(study(ndjson(north.toString()),
        Source.bulkExport("https://fhir.example/r4")), out, PullMode.full()));
    assertEquals(OptionalLong.empty(), InputSize.of(study(ndjson("s3://bucket/north")), out,
        PullMode.incremental()));
    assertEquals(OptionalLong.empty(), InputSize.of(study(ndjson(dir.resolve("none")
        .toString())), out, PullMode.incremental()));
  }

  @Test
  void fromLandingIsThatRunsLandedFiles(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("out");
    write(new RunLayout(out, "run-1").landing().resolve("north"), "Observation-0.ndjson", 250);

    assertEquals(OptionalLong.of(250), InputSize.of(study(Source.bulkExport(
        "https://fhir.example/r4")), out, PullMode.fromLanding("run-1")));
    assertEquals(OptionalLong.empty(), InputSize.of(study(ndjson(dir.toString())), out,
        PullMode.fromLanding("run-2")));
  }

  private static Source ndjson(String directory) {
    return new Source(Source.Kind.NDJSON, null, null, directory);
  }

  private static Study study(Source... sources) {
    List<Study.Clinic> clinics = new java.util.ArrayList<>();
    for (Source source : sources) {
      clinics.add(DEMO.clinics().get(clinics.size()).withSource(source));
    }
    return DEMO.withClinics(clinics);
  }

  private static Path write(Path folder, String name, int bytes) throws IOException {
    Files.createDirectories(folder);
    Files.write(folder.resolve(name), new byte[bytes]);
    return folder;
  }
}
