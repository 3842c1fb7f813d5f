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
    CohortSettings cohort) implements Serializable {

  /** One clinic with its source and code mapping. */
  public record Clinic(String id, Source source, ClinicMapping mapping) implements Serializable {
    public Clinic withSource(Source newSource) {
      return new Clinic(id, newSource, mapping);
    }
  }

  public Map<String, Clinic> clinicsById() {
    return clinics.stream().collect(Collectors.toMap(Clinic::id, Function.identity()));
  }

  public Study withClinics(List<Clinic> newClinics) {
    return new Study(id, source, List.copyOf(newClinics), catalog, deid, cohort);
  }
}
