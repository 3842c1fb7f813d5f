package org.longitude.config;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A fully loaded, validated study: everything the stages need, serializable so transforms
 * can carry it to workers. Holds no secrets (the key is a {@link StudyKey}).
 */
public record Study(
    String id,
    String source,
    List<Clinic> clinics,
    MeasureCatalog catalog,
    DeidRules deid,
    CohortSettings cohort,
    Schedule schedule,
    List<StudyView> views) implements Serializable {

  /** A study without a schedule. */
  public Study(String id, String source, List<Clinic> clinics, MeasureCatalog catalog,
      DeidRules deid, CohortSettings cohort) {
    this(id, source, clinics, catalog, deid, cohort, null);
  }

  /** A study without views. */
  public Study(String id, String source, List<Clinic> clinics, MeasureCatalog catalog,
      DeidRules deid, CohortSettings cohort, Schedule schedule) {
    this(id, source, clinics, catalog, deid, cohort, schedule, List.of());
  }

  /** The study-defined views ({@code views} in the study YAML), none when absent. */
  public List<StudyView> viewsOrEmpty() {
    return views == null ? List.of() : views;
  }

  /** The resource types Longitude reads for its own tables (timelines and cohorts). */
  public static final List<String> TIMELINE_TYPES =
      List.of("Patient", "Condition", "MedicationAdministration", "Observation");

  /**
   * The resource types only the study's views read: pulled for them, read by no timeline, and
   * accounted as filtered ({@code VIEW_ONLY}) once the views have seen them. Procedure is a
   * timeline type where a clinic maps ketamine procedures, so it is never view-only.
   */
  public java.util.Set<String> viewOnlyTypes() {
    java.util.Set<String> types = new java.util.TreeSet<>();
    for (StudyView v : viewsOrEmpty()) {
      String type = v.resourceType();
      if (type != null && !TIMELINE_TYPES.contains(type) && !type.equals("Procedure")) {
        types.add(type);
      }
    }
    return types;
  }

  /** One clinic with its source and code mapping. */
  public record Clinic(String id, Source source, ClinicMapping mapping) implements Serializable {
    public Clinic withSource(Source newSource) {
      return new Clinic(id, newSource, mapping);
    }
  }

  public Map<String, Clinic> clinicsById() {
    return clinics.stream().collect(Collectors.toMap(Clinic::id, Function.identity()));
  }

  /**
   * The Observation codes to search for at a clinic, as {@code system|code}: the catalogue's
   * LOINC totals, panels and items, the clinic's own mapped codes, and the codes the study's
   * views read.
   */
  public List<String> observationCodes(Clinic clinic) {
    java.util.Set<String> codes = new java.util.LinkedHashSet<>();
    for (MeasureCatalog.Measure m : catalog.measures().values()) {
      if (m.total() != null) {
        codes.add(LOINC + "|" + m.total());
      }
      m.panelsOrEmpty().forEach(c -> codes.add(LOINC + "|" + c));
      m.itemsOrEmpty().forEach(c -> codes.add(LOINC + "|" + c));
    }
    clinic.mapping().codesOrEmpty().forEach(c -> codes.add(c.system() + "|" + c.code()));
    viewsOrEmpty().forEach(v -> codes.addAll(v.codes())); // what the study's views read
    return List.copyOf(codes);
  }

  public static final String LOINC = "http://loinc.org";

  public Study withClinics(List<Clinic> newClinics) {
    return new Study(id, source, List.copyOf(newClinics), catalog, deid, cohort, schedule,
        views);
  }
}
