package org.longitude.demo;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;

/**
 * Blood pressure around infusions, for the demo's tolerability view: before and after each
 * ketamine infusion a LOINC 85354-9 panel with systolic (8480-6) and diastolic (8462-4)
 * components in mm[Hg], {@code partOf} the infusion, its timing in a clinic-local category,
 * and now and then a note naming the patient (free text a view must never release). Ketamine
 * raises blood pressure for a while: the readings after are higher.
 *
 * <p>Drawn from a random stream of their own, so the rest of a clinic's data are the same
 * with or without them.
 */
final class Vitals {
  static final String BP_PANEL = "85354-9";
  static final String SYSTOLIC = "8480-6";
  static final String DIASTOLIC = "8462-4";
  /** The clinics' local code system saying when, around an infusion, a reading was taken. */
  static final String TIMING = "http://longitude.example.org/fhir/CodeSystem/infusion-timing";
  private static final DateTimeFormatter EFFECTIVE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx");

  private Vitals() {}

  /** The readings before and after one infusion. */
  static List<Observation> around(SplittableRandom r, String patientId, String patientName,
      String infusionId, OffsetDateTime infusion, Instant latest) {
    List<Observation> readings = new ArrayList<>();
    int systolic = 112 + r.nextInt(28);
    int diastolic = 70 + r.nextInt(16);
    readings.add(reading(r, patientId, patientName, infusionId, "pre-infusion",
        infusion.minusMinutes(5 + r.nextInt(15)), systolic, diastolic, latest));
    readings.add(reading(r, patientId, patientName, infusionId, "post-infusion",
        infusion.plusMinutes(45 + r.nextInt(30)), systolic + 6 + r.nextInt(20),
        diastolic + 3 + r.nextInt(10), latest));
    return readings;
  }

  private static Observation reading(SplittableRandom r, String patientId, String patientName,
      String infusionId, String timing, OffsetDateTime when, int systolic, int diastolic,
      Instant latest) {
    Observation o = new Observation();
    o.setId(ClinicGenerator.uuid(r));
    Instant updated = when.toInstant().plusSeconds(600 + r.nextInt(3600));
    o.getMeta().setVersionId("1")
        .setLastUpdatedElement(new InstantType(java.util.Date.from(
            updated.isAfter(latest) ? latest : updated)));
    o.setStatus(Observation.ObservationStatus.FINAL);
    o.addCategory(new CodeableConcept().addCoding(new Coding(
        "http://terminology.hl7.org/CodeSystem/observation-category", "vital-signs",
        "Vital Signs")));
    o.addCategory(new CodeableConcept().addCoding(new Coding(TIMING, timing, null)));
    o.setCode(new CodeableConcept().addCoding(new Coding(CodeSystems.LOINC, BP_PANEL,
        "Blood pressure panel with all children optional")));
    o.setSubject(new Reference("Patient/" + patientId));
    o.addPartOf(new Reference("MedicationAdministration/" + infusionId));
    o.setEffective(new DateTimeType(EFFECTIVE.format(when)));
    o.addComponent().setCode(new CodeableConcept().addCoding(new Coding(CodeSystems.LOINC,
        SYSTOLIC, "Systolic blood pressure"))).setValue(mmHg(systolic));
    o.addComponent().setCode(new CodeableConcept().addCoding(new Coding(CodeSystems.LOINC,
        DIASTOLIC, "Diastolic blood pressure"))).setValue(mmHg(diastolic));
    if (r.nextDouble() < 0.1) {
      o.addNote().setText("Taken with " + patientName + " seated, left arm.");
    }
    return o;
  }

  private static Quantity mmHg(int value) {
    return new Quantity().setValue(value).setUnit("mmHg").setSystem(CodeSystems.UCUM)
        .setCode("mm[Hg]");
  }
}
