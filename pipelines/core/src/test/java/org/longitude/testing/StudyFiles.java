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
    for (String rules : new String[] {"config/demo/deidentification.yaml",
        "config/demo/cohort.yaml", "fhir-mappings/measures.yaml"}) {
      Path to = dir.resolve(Path.of(rules).getFileName());
      if (!Files.exists(to)) { // a test's own copy wins; a second study in the folder reuses it
        copy("longitude/" + rules, to);
      }
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
