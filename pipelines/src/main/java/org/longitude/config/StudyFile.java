package org.longitude.config;

import java.util.List;

/** The study YAML as written; relative paths resolve against the study file. */
public record StudyFile(
    String study,
    List<ClinicEntry> clinics,
    String measures,
    String deidentification,
    String cohort,
    Schedule schedule) {

  /** One participating clinic. */
  public record ClinicEntry(String id, String mapping, Source source) {}
}
