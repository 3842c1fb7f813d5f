package org.longitude.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a study folder for tests: the demo's rules and catalogue plus the given files. */
public final class StudyFiles {
  private StudyFiles() {}

  /** Copies a packaged resource, e.g. {@code longitude/config/demo/cohort.yaml}, to a file. */
  public static void copy(String resource, Path to) throws IOException {
    try (InputStream in = StudyFiles.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("no resource " + resource);
      }
      Files.copy(in, to);
    }
  }

  /** Writes study.yaml naming one clinic, with the demo's de-identification and cohort rules. */
  public static Path oneClinicStudy(Path dir, String study, String clinic, String mappingFile,
      String source) throws IOException {
    copy("longitude/config/demo/deidentification.yaml", dir.resolve("deidentification.yaml"));
    copy("longitude/config/demo/cohort.yaml", dir.resolve("cohort.yaml"));
    if (!Files.exists(dir.resolve("measures.yaml"))) {
      copy("longitude/fhir-mappings/measures.yaml", dir.resolve("measures.yaml"));
    }
    Path file = dir.resolve("study.yaml");
    Files.writeString(file, """
        study: %s
        clinics:
          - id: %s
            mapping: %s
            source: %s
        measures: measures.yaml
        deidentification: deidentification.yaml
        cohort: cohort.yaml
        """.formatted(study, clinic, mappingFile, source));
    return file;
  }
}
