package org.longitude.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes the bench's study folder: the demo's rules and catalogue, one NDJSON clinic. */
public final class BenchStudy {
  private BenchStudy() {}

  /**
   * The bench's clinic of about {@code observations} Observations generated under
   * {@code dir/data} (reused when already there) and a study of it in {@code dir/study};
   * returns the study.yaml.
   */
  public static Path withGeneratedClinic(Path dir, long observations, long seed)
      throws IOException {
    Path data = dir.resolve("data").resolve(BenchData.CLINIC);
    BenchData.write(data, observations, seed, 0);
    return write(dir.resolve("study"), data);
  }

  /** The study view {@code --view} adds: five columns of every final Observation. */
  static final String VIEW = "longitude/bench/observation_values.json";

  /** Returns the study.yaml naming {@link BenchData#CLINIC} read from {@code ndjsonDir}. */
  static Path write(Path dir, Path ndjsonDir) throws IOException {
    return write(dir, ndjsonDir, "");
  }

  /** As {@link #write(Path, Path)}, with the study view {@link #VIEW}. */
  static Path writeWithView(Path dir, Path ndjsonDir) throws IOException {
    Files.createDirectories(dir);
    copy(VIEW, dir.resolve("observation_values.json"));
    return write(dir, ndjsonDir, """
        views:
          - view: observation_values.json
            columns:
              observation: pseudonym
              participant: pseudonym
              measured_on: shift_date
              code: {rule: code, systems: ["http://loinc.org"]}
              value: number
        """);
  }

  private static Path write(Path dir, Path ndjsonDir, String views) throws IOException {
    Files.createDirectories(dir);
    copy("longitude/config/demo/deidentification.yaml", dir.resolve("deidentification.yaml"));
    copy("longitude/config/demo/cohort.yaml", dir.resolve("cohort.yaml"));
    copy("longitude/fhir-mappings/measures.yaml", dir.resolve("measures.yaml"));
    copy("longitude/fhir-mappings/clinics/" + BenchData.CLINIC + ".yaml",
        dir.resolve(BenchData.CLINIC + ".yaml"));
    Path file = dir.resolve("study.yaml");
    Files.writeString(file, """
        study: longitude-bench
        clinics:
          - id: %s
            mapping: %s.yaml
            source: {kind: ndjson, directory: "%s"}
        measures: measures.yaml
        deidentification: deidentification.yaml
        cohort: cohort.yaml
        """.formatted(BenchData.CLINIC, BenchData.CLINIC, ndjsonDir.toAbsolutePath()) + views);
    return file;
  }

  private static void copy(String resource, Path to) throws IOException {
    try (InputStream in = BenchStudy.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("no resource " + resource);
      }
      Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
