package org.longitude.config;

import java.io.Serializable;
import java.util.List;

/**
 * One clinic's codes ({@code fhir-mappings/clinics/<clinic>.yaml}): local codes mapped to
 * canonical measures, codes to ignore, and the medication (and optionally Procedure) codes
 * that mean a ketamine treatment. Standard LOINC codes
 * of the catalogue need no entry.
 */
public record ClinicMapping(
    String clinic,
    List<CodeMapping> codes,
    List<Coding> ignore,
    List<Coding> medications,
    List<Coding> procedures) implements Serializable {

  /** A mapping without Procedure codes. */
  public ClinicMapping(String clinic, List<CodeMapping> codes, List<Coding> ignore,
      List<Coding> medications) {
    this(clinic, codes, ignore, medications, null);
  }

  /** A local code that stands for a measure's total, one of its items, or its panel. */
  public record CodeMapping(String system, String code, String measure, Role role, Integer item)
      implements Serializable {}

  /** What a mapped code carries. */
  public enum Role {
    TOTAL,
    ITEM,
    PANEL;

    @com.fasterxml.jackson.annotation.JsonCreator
    public static Role parse(String text) {
      return valueOf(text.toUpperCase(java.util.Locale.ROOT));
    }
  }

  /** A code system and code. */
  public record Coding(String system, String code) implements Serializable {}

  public List<CodeMapping> codesOrEmpty() {
    return codes == null ? List.of() : codes;
  }

  public List<Coding> ignoreOrEmpty() {
    return ignore == null ? List.of() : ignore;
  }

  /** Procedure codes that record a ketamine treatment (for clinics that code it so). */
  public List<Coding> proceduresOrEmpty() {
    return procedures == null ? List.of() : procedures;
  }

  public List<Coding> medicationsOrEmpty() {
    return medications == null ? List.of() : medications;
  }
}
