package org.longitude.config;

import java.util.List;

/** The study YAML as written; relative paths resolve against the study file. */
public record StudyFile(
    String study,
    List<ClinicEntry> clinics,
    String measures,
    String deidentification,
    String cohort,
    Schedule schedule,
    List<ViewEntry> views) {

  /** One participating clinic. */
  public record ClinicEntry(String id, String mapping, Source source) {}

  /**
   * A study-defined view: its ViewDefinition file, each column's release rule, and the
   * Observation codes it reads ({@code system|code}; pulled for it).
   */
  public record ViewEntry(String view, java.util.Map<String, StudyView.Release> columns,
      List<String> codes) {}
}
