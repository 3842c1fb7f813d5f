package org.longitude.demo;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Observation.ObservationComponentComponent;
import org.hl7.fhir.r4.model.Observation.ObservationStatus;
import org.hl7.fhir.r4.model.Patient;

/**
 * A deliberately independent, minimal "correct pipeline" over one clinic's current resources,
 * used to check that the ground truth and the encoded quirks agree.
 */
final class ReferenceExtraction {

  /** One kept score; equality ignores the observation id. */
  record Kept(String patientId, Measure measure, LocalDate date, int total, Integer item9) {}

  private ReferenceExtraction() {}

  static List<Kept> extract(ClinicDataset dataset) {
    Set<String> patients = new HashSet<>();
    for (Patient p : dataset.resources(Patient.class)) {
      patients.add(p.getIdElement().getIdPart());
    }
    Map<String, Integer> harborItem9 = new HashMap<>();
    List<Observation> candidates = new ArrayList<>();
    for (Observation o : dataset.resources(Observation.class)) {
      if (o.getStatus() != ObservationStatus.FINAL && o.getStatus() != ObservationStatus.AMENDED) {
        continue;
      }
      String when = effective(o);
      String patient = o.getSubject().getReferenceElement().getIdPart();
      if (when == null || !patients.contains(patient)
          || LocalDate.parse(when.substring(0, 10)).isAfter(SyntheticStudy.REFERENCE_DATE)) {
        continue;
      }
      Coding code = o.getCode().getCodingFirstRep();
      if ("PHQ9-Q9".equals(code.getCode())) {
        harborItem9.put(patient + "@" + when, o.getValueQuantity().getValue().intValue());
      } else {
        candidates.add(o);
      }
    }
    Map<Kept, Boolean> kept = new LinkedHashMap<>();
    for (Observation o : candidates) {
      String patient = o.getSubject().getReferenceElement().getIdPart();
      String when = effective(o);
      LocalDate date = LocalDate.parse(when.substring(0, 10));
      Coding code = o.getCode().getCodingFirstRep();
      Measure measure;
      int total;
      Integer item9 = null;
      switch (code.getCode()) {
        case "44261-6":
          measure = Measure.PHQ9;
          total = o.getValueIntegerType().getValue();
          for (ObservationComponentComponent c : o.getComponent()) {
            if (c.getCode().getCodingFirstRep().getCode().equals("44260-8")) {
              item9 = c.getValueIntegerType().getValue();
            }
          }
          break;
        case "44249-1":
          measure = Measure.PHQ9;
          total = 0;
          for (ObservationComponentComponent c : o.getComponent()) {
            String answer = c.getValueCodeableConcept().getCodingFirstRep().getCode();
            int value = List.of(CodeSystems.LOINC_ANSWERS).indexOf(answer);
            total += value;
            if (c.getCode().getCodingFirstRep().getCode().equals("44260-8")) {
              item9 = value;
            }
          }
          break;
        case "PHQ9":
          measure = Measure.PHQ9;
          total = o.getValueQuantity().getValue().intValue();
          item9 = harborItem9.get(patient + "@" + when);
          break;
        case "70274-6":
        case "69737-5":
          measure = Measure.GAD7;
          total = o.getValueIntegerType().getValue();
          break;
        case "GAD7":
          measure = Measure.GAD7;
          total = o.getValueQuantity().getValue().intValue();
          break;
        case "101698-9":
          measure = Measure.PCL5;
          total = o.hasValueStringType() ? Integer.parseInt(o.getValueStringType().getValue())
              : o.getValueIntegerType().getValue();
          break;
        case "PCL5":
          measure = Measure.PCL5;
          total = o.getValueQuantity().getValue().intValue();
          break;
        default:
          throw new AssertionError("unexpected code " + code.getSystem() + "|" + code.getCode());
      }
      if (total < 0 || total > measure.maxScore()) {
        continue;
      }
      kept.putIfAbsent(new Kept(patient, measure, date, total, item9), Boolean.TRUE);
    }
    return new ArrayList<>(kept.keySet());
  }

  static List<Kept> fromTruth(GroundTruth truth) {
    List<Kept> result = new ArrayList<>();
    for (GroundTruth.Participant p : truth.participants().values()) {
      for (Measure m : Measure.values()) {
        for (GroundTruth.Score s : p.scores(m)) {
          result.add(new Kept(p.patientId(), m, s.date(), s.total(), s.item9()));
        }
      }
    }
    return result;
  }

  private static String effective(Observation o) {
    if (o.hasEffectiveDateTimeType()) {
      return o.getEffectiveDateTimeType().getValueAsString();
    }
    if (o.hasEffectivePeriod()) {
      return o.getEffectivePeriod().getStartElement().getValueAsString();
    }
    return null;
  }
}
