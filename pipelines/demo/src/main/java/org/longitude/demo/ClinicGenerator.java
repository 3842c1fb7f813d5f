package org.longitude.demo;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Observation.ObservationStatus;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.utilities.xhtml.NodeType;
import org.hl7.fhir.utilities.xhtml.XhtmlNode;

/**
 * Turns simulated trajectories into one clinic's FHIR resources, in that clinic's coding, with
 * seeded dirt, and records the ground truth alongside. Package-private: the public entry point is
 * {@link SyntheticStudy}.
 */
final class ClinicGenerator {

  static final Instant REFERENCE_INSTANT =
      SyntheticStudy.REFERENCE_DATE.atStartOfDay().toInstant(ZoneOffset.UTC);
  private static final DateTimeFormatter EFFECTIVE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx");
  private static final DateTimeFormatter INSTANT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxxx").withZone(ZoneOffset.UTC);
  private static final String OBSERVATION_CATEGORY =
      "http://terminology.hl7.org/CodeSystem/observation-category";

  /** Per-record probability of each dirt kind. */
  private static final double DUPLICATE_RATE = 0.015;
  private static final double AMENDED_RATE = 0.015;
  private static final double EXTRA_RATE = 0.012;

  private final ClinicProfile profile;
  private final BoosterScenario scenario;
  private final String[] practitioners;

  private final List<Resource> current = new ArrayList<>();
  private final List<Resource> history = new ArrayList<>();
  private final Map<String, GroundTruth.Participant> participants = new LinkedHashMap<>();
  private final List<GroundTruth.DirtyRecord> dirty = new ArrayList<>();

  private ClinicGenerator(ClinicProfile profile, long seed, BoosterScenario scenario) {
    this.profile = profile;
    this.scenario = scenario;
    SplittableRandom r = new SplittableRandom(mix(seed, profile.ordinal(), -1));
    practitioners = new String[Phi.CLINICIANS.length];
    for (int i = 0; i < practitioners.length; i++) {
      practitioners[i] = uuid(r);
    }
  }

  static ClinicDataset generate(ClinicProfile profile, long seed, int participants,
      BoosterScenario scenario) {
    return generate(profile, seed, participants, scenario, false);
  }

  /**
   * @param vitals also blood pressure before and after each infusion ({@link Vitals}), from
   *     a random stream of their own: the other resources stay as without them
   */
  static ClinicDataset generate(ClinicProfile profile, long seed, int participants,
      BoosterScenario scenario, boolean vitals) {
    ClinicGenerator generator = new ClinicGenerator(profile, seed, scenario);
    for (int i = 0; i < participants; i++) {
      generator.participant(new SplittableRandom(mix(seed, profile.ordinal(), i)),
          vitals ? new SplittableRandom(mix(seed, profile.ordinal() + VITALS_STREAM, i)) : null);
    }
    GroundTruth truth = new GroundTruth(profile.id(), generator.participants, generator.dirty);
    return new ClinicDataset(profile, generator.current, generator.history, truth);
  }

  /** Offsets the clinic in the vitals' seeds: their stream is apart from every other. */
  private static final int VITALS_STREAM = 0x5171;

  private void participant(SplittableRandom r, SplittableRandom vitals) {
    CohortSimulator.Trajectory t = CohortSimulator.simulate(r, scenario);
    String patientId = uuid(r);
    Patient patient = patient(r, patientId, t.index());
    add(patient);

    conditions(r, patientId, t);

    List<GroundTruth.Infusion> infusions = new ArrayList<>();
    Map<String, OffsetDateTime> infusionTimes = new LinkedHashMap<>();
    for (CohortSimulator.Infusion infusion : t.infusions()) {
      LocalDate date = t.index().plusDays(infusion.day());
      String id = uuid(r);
      OffsetDateTime when = at(r, date, 9, 15);
      add(medicationAdministration(r, id, patientId, when));
      infusions.add(new GroundTruth.Infusion(date, infusion.booster(), id));
      infusionTimes.put(id, when);
    }

    Map<Measure, List<GroundTruth.Score>> scores = new EnumMap<>(Measure.class);
    for (Measure m : Measure.values()) {
      scores.put(m, new ArrayList<>());
    }
    String name = patient.getNameFirstRep().getGivenAsSingleString() + " "
        + patient.getNameFirstRep().getFamily();
    for (CohortSimulator.Visit visit : t.visits()) {
      OffsetDateTime when = at(r, t.index().plusDays(visit.day()), 8, 17);
      record(r, patientId, name, Measure.PHQ9, when, visit.phq9(), visit.item9(), scores);
      record(r, patientId, name, Measure.GAD7, when.plusMinutes(5), visit.gad7(), 0, scores);
      if (visit.pcl5() != null) {
        record(r, patientId, name, Measure.PCL5, when.plusMinutes(10), visit.pcl5(), 0, scores);
      }
    }
    if (vitals != null) { // after the participant's other resources: their order is kept
      infusionTimes.forEach((id, when) -> Vitals.around(vitals, patientId, name, id, when,
          REFERENCE_INSTANT).forEach(this::add));
    }
    scores.replaceAll((m, list) -> List.copyOf(list));
    LocalDate relapse = t.relapseDay() == null ? null : t.index().plusDays(t.relapseDay());
    participants.put(patientId, new GroundTruth.Participant(patientId, t.index(),
        List.copyOf(infusions), scores, t.boosters(), relapse));
  }

  /** Emits one clean score (possibly duplicated or amended) and, rarely, an extra dirty record. */
  private void record(SplittableRandom r, String patientId, String name, Measure measure,
      OffsetDateTime when, int total, int item9, Map<Measure, List<GroundTruth.Score>> scores) {
    boolean hasItem9 = measure == Measure.PHQ9
        && (profile == ClinicProfile.SUMMIT || r.nextDouble() >= 0.03);
    int[] items = measure == Measure.PHQ9 ? phqItems(r, total, item9) : null;
    Draft draft = new Draft(uuid(r), measure, patientId, name, when, total, hasItem9 ? item9 : -1,
        items);
    draft.lastUpdated = lastUpdated(r, when.toInstant());
    double u = r.nextDouble();
    if (u < AMENDED_RATE) {
      Draft wrong = draft.copy();
      wrong.setTotal(r, wrongValue(r, measure, total));
      wrong.lastUpdated = min(wrong.lastUpdated, REFERENCE_INSTANT.minusSeconds(86_400));
      emit(r, wrong, false);
      draft.version = 2;
      draft.status = ObservationStatus.AMENDED;
      draft.lastUpdated = min(wrong.lastUpdated.plusSeconds(86_400L * (2 + r.nextInt(9))),
          REFERENCE_INSTANT);
      emit(r, draft, true);
      dirty.add(new GroundTruth.DirtyRecord(DirtKind.AMENDED, draft.id, patientId, measure));
    } else {
      emit(r, draft, true);
    }
    if (u >= AMENDED_RATE && u < AMENDED_RATE + DUPLICATE_RATE) {
      Draft copy = draft.copy();
      copy.id = uuid(r);
      copy.lastUpdated = min(draft.lastUpdated.plusSeconds(60 + r.nextInt(3600)), REFERENCE_INSTANT);
      emit(r, copy, false);
      dirty.add(new GroundTruth.DirtyRecord(DirtKind.DUPLICATE, copy.id, patientId, measure));
    }
    scores.get(measure).add(new GroundTruth.Score(when.toLocalDate(), total,
        hasItem9 ? item9 : null, draft.id));

    if (r.nextDouble() < EXTRA_RATE * 6) {
      extra(r, draft);
    }
  }

  /** One extra dirty record shaped like {@code clean}: every one of these must be dropped. */
  private void extra(SplittableRandom r, Draft clean) {
    DirtKind[] kinds = {DirtKind.ENTERED_IN_ERROR, DirtKind.PRELIMINARY, DirtKind.OUT_OF_RANGE,
        DirtKind.MISSING_DATE, DirtKind.DANGLING_SUBJECT, DirtKind.FUTURE_DATE};
    DirtKind kind = kinds[r.nextInt(kinds.length)];
    Measure measure = clean.measure;
    if (kind == DirtKind.OUT_OF_RANGE && profile == ClinicProfile.SUMMIT
        && measure == Measure.PHQ9) {
      // Summit has no PHQ-9 total to get wrong; its GAD-7 total can be.
      measure = Measure.GAD7;
    }
    int total = r.nextInt(measure.maxScore() + 1);
    int item9 = Math.max(0, Math.min(3, Math.min(total, r.nextInt(4))));
    item9 = Math.max(item9, total - 24);
    Draft d = new Draft(uuid(r), measure, clean.patientId, clean.patientName, clean.when, total,
        measure == Measure.PHQ9 ? item9 : -1,
        measure == Measure.PHQ9 ? phqItems(r, total, item9) : null);
    d.lastUpdated = min(clean.lastUpdated.plusSeconds(120 + r.nextInt(7200)),
        REFERENCE_INSTANT.minusSeconds(86_400));
    switch (kind) {
      case ENTERED_IN_ERROR:
        emit(r, d, false);
        d.version = 2;
        d.status = ObservationStatus.ENTEREDINERROR;
        d.lastUpdated = min(d.lastUpdated.plusSeconds(3600L * (1 + r.nextInt(72))), REFERENCE_INSTANT);
        break;
      case PRELIMINARY:
        d.status = ObservationStatus.PRELIMINARY;
        break;
      case OUT_OF_RANGE:
        d.total = measure.maxScore() + 1 + r.nextInt(12);
        break;
      case MISSING_DATE:
        d.when = null;
        break;
      case DANGLING_SUBJECT:
        d.subjectOverride = uuid(r);
        break;
      case FUTURE_DATE:
        d.when = SyntheticStudy.REFERENCE_DATE.plusDays(30 + r.nextInt(900))
            .atTime(LocalTime.of(8 + r.nextInt(10), r.nextInt(60))).atOffset(profile.offset());
        break;
      default:
        throw new IllegalStateException(kind.name());
    }
    emit(r, d, false);
    dirty.add(new GroundTruth.DirtyRecord(kind, d.id, clean.patientId, measure));
  }

  /** Encodes a draft; harbor's clean PHQ-9 gets its separate item-9 Observation. */
  private void emit(SplittableRandom r, Draft d, boolean isCurrentTruth) {
    Observation o = observation(r, d);
    add(o);
    if (isCurrentTruth && profile == ClinicProfile.HARBOR && d.measure == Measure.PHQ9
        && d.item9 >= 0) {
      Draft q9 = d.copy();
      q9.id = uuid(r);
      q9.version = 1;
      q9.status = ObservationStatus.FINAL;
      Observation item = observation(r, q9);
      item.setCode(coding(ClinicProfile.HARBOR_ASSESSMENTS, "PHQ9-Q9", "PHQ-9 item 9"));
      item.setValue(scoreQuantity(r, d.item9));
      item.setNote(List.of());
      item.setText(null);
      add(item);
    }
  }

  private Observation observation(SplittableRandom r, Draft d) {
    Observation o = new Observation();
    meta(o, "Observation", d.id, d.version, d.lastUpdated);
    o.setStatus(d.status);
    o.addCategory(new CodeableConcept().addCoding(
        new Coding(OBSERVATION_CATEGORY, "survey", "Survey")));
    String subject = d.subjectOverride != null ? d.subjectOverride : d.patientId;
    o.setSubject(new Reference("Patient/" + subject));
    if (d.when != null) {
      if (profile == ClinicProfile.HARBOR && r.nextDouble() < 0.12) {
        o.setEffective(new Period()
            .setStartElement(new DateTimeType(EFFECTIVE.format(d.when)))
            .setEndElement(new DateTimeType(EFFECTIVE.format(d.when.plusMinutes(15)))));
      } else {
        o.setEffective(new DateTimeType(EFFECTIVE.format(d.when)));
      }
    }
    int clinician = r.nextInt(practitioners.length);
    o.addPerformer(new Reference("Practitioner/" + practitioners[clinician]));
    switch (profile) {
      case NORTH:
        northValue(o, d);
        break;
      case HARBOR:
        harborValue(r, o, d);
        break;
      default:
        summitValue(o, d);
        break;
    }
    if (r.nextDouble() < 0.08) {
      o.addNote().setText("Reviewed with " + d.patientName + " and " + Phi.pick(r, Phi.FEMALE)
          + " " + d.patientName.substring(d.patientName.lastIndexOf(' ') + 1)
          + " (spouse). Seen by " + Phi.CLINICIANS[clinician] + "; call back on (555) 01"
          + Phi.digits(r, 2) + "-" + Phi.digits(r, 4) + ".");
    }
    if (r.nextDouble() < 0.15) {
      // Built, not parsed: HAPI's XHTML parser sets up its entity table on every call.
      XhtmlNode div = new XhtmlNode(NodeType.Element, "div");
      div.setAttribute("xmlns", "http://www.w3.org/1999/xhtml");
      div.addTag("p").addText(d.measure + " for " + d.patientName + ": " + d.total);
      o.getText().setStatus(Narrative.NarrativeStatus.GENERATED).setDiv(div);
    }
    return o;
  }

  private static void northValue(Observation o, Draft d) {
    switch (d.measure) {
      case PHQ9:
        o.setCode(coding(CodeSystems.LOINC, CodeSystems.LOINC_PHQ9_TOTAL,
            "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]"));
        o.setValue(new IntegerType(d.total));
        if (d.item9 >= 0) {
          o.addComponent()
              .setCode(coding(CodeSystems.LOINC, CodeSystems.LOINC_PHQ9_ITEM9,
                  "Thoughts that you would be better off dead, or of hurting yourself"))
              .setValue(new IntegerType(d.item9));
        }
        break;
      case GAD7:
        o.setCode(coding(CodeSystems.LOINC, CodeSystems.LOINC_GAD7_TOTAL,
            "Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]"));
        o.setValue(new IntegerType(d.total));
        break;
      default:
        o.setCode(coding(CodeSystems.LOINC, CodeSystems.LOINC_PCL5_TOTAL,
            "PTSD Checklist for DSM-5 (PCL-5) total score"));
        o.setValue(new IntegerType(d.total));
        break;
    }
  }

  private static void harborValue(SplittableRandom r, Observation o, Draft d) {
    String code = d.measure == Measure.PHQ9 ? "PHQ9" : d.measure == Measure.GAD7 ? "GAD7" : "PCL5";
    o.setCode(coding(ClinicProfile.HARBOR_ASSESSMENTS, code, code.replace("9", "-9")
        .replace("7", "-7").replace("5", "-5") + " total"));
    o.setValue(scoreQuantity(r, d.total));
  }

  private static Quantity scoreQuantity(SplittableRandom r, int value) {
    Quantity q = new Quantity().setValue(value);
    if (r.nextDouble() >= 0.15) {
      q.setUnit("{score}").setSystem(CodeSystems.UCUM).setCode("{score}");
    }
    return q;
  }

  private static void summitValue(Observation o, Draft d) {
    switch (d.measure) {
      case PHQ9:
        o.setCode(coding(CodeSystems.LOINC, CodeSystems.LOINC_PHQ9_PANEL,
            "PHQ-9 quick depression assessment panel [Reported.PHQ]"));
        for (int i = 0; i < 9; i++) {
          int answer = d.items[i];
          o.addComponent()
              .setCode(coding(CodeSystems.LOINC, CodeSystems.LOINC_PHQ9_ITEMS[i], null))
              .setValue(new CodeableConcept().addCoding(new Coding(CodeSystems.LOINC,
                  CodeSystems.LOINC_ANSWERS[answer], ANSWER_TEXT[answer])));
        }
        break;
      case GAD7:
        o.setCode(coding(CodeSystems.LOINC, CodeSystems.LOINC_GAD7_PANEL,
            "Generalized anxiety disorder 7 item (GAD-7)"));
        o.setValue(new IntegerType(d.total));
        break;
      default:
        o.setCode(coding(CodeSystems.LOINC, CodeSystems.LOINC_PCL5_TOTAL,
            "PTSD Checklist for DSM-5 (PCL-5) total score"));
        o.setValue(new StringType(Integer.toString(d.total)));
        break;
    }
  }

  private static final String[] ANSWER_TEXT = {
    "Not at all", "Several days", "More than half the days", "Nearly every day"
  };

  private Patient patient(SplittableRandom r, String id, LocalDate index) {
    Patient p = new Patient();
    meta(p, "Patient", id, 1, lastUpdated(r, index.minusDays(20 + r.nextInt(40))
        .atTime(10, 0).toInstant(profile.offset())));
    boolean female = r.nextDouble() < 0.58;
    p.setGender(female ? AdministrativeGender.FEMALE
        : r.nextDouble() < 0.97 ? AdministrativeGender.MALE : AdministrativeGender.OTHER);
    String given = Phi.pick(r, female ? Phi.FEMALE : Phi.MALE);
    String family = Phi.pick(r, Phi.FAMILY);
    p.addIdentifier()
        .setType(new CodeableConcept().addCoding(new Coding(
            "http://terminology.hl7.org/CodeSystem/v2-0203", "MR", "Medical record number")))
        .setSystem("http://" + profile.id() + ".example.org/fhir/sid/mrn")
        .setValue(profile.id().substring(0, 1).toUpperCase() + Phi.digits(r, 7));
    p.setActive(true);
    p.addName().setUse(org.hl7.fhir.r4.model.HumanName.NameUse.OFFICIAL)
        .setFamily(family).addGiven(given);
    if (r.nextDouble() < 0.3) {
      p.getNameFirstRep().addGiven(Phi.pick(r, female ? Phi.FEMALE : Phi.MALE));
    }
    p.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE)
        .setUse(r.nextBoolean() ? ContactPoint.ContactPointUse.MOBILE
            : ContactPoint.ContactPointUse.HOME)
        .setValue("(555) 01" + Phi.digits(r, 1) + "-" + Phi.digits(r, 4));
    p.addTelecom().setSystem(ContactPoint.ContactPointSystem.EMAIL)
        .setValue(given.toLowerCase() + "." + family.toLowerCase().replace("'", "")
            + Phi.digits(r, 2) + "@example.com");
    int age;
    if (r.nextDouble() < 0.025) {
      age = 90 + r.nextInt(6);
    } else {
      age = 18 + (int) Math.round(62 * (r.nextDouble() + r.nextDouble()) / 2);
    }
    p.setBirthDateElement(new DateType(index.minusYears(age).minusDays(1 + r.nextInt(364))
        .toString()));
    String[] place = r.nextDouble() < 0.04
        ? Phi.RESTRICTED_PLACES[r.nextInt(Phi.RESTRICTED_PLACES.length)] : pickPlace(r);
    p.addAddress().setUse(org.hl7.fhir.r4.model.Address.AddressUse.HOME)
        .addLine((1 + r.nextInt(9800)) + " " + Phi.pick(r, Phi.STREETS))
        .setCity(place[0]).setState(place[1]).setPostalCode(place[2] + Phi.digits(r, 2))
        .setCountry("US");
    return p;
  }

  private static String[] pickPlace(SplittableRandom r) {
    return Phi.PLACES[r.nextInt(Phi.PLACES.length)];
  }

  private void conditions(SplittableRandom r, String patientId, CohortSimulator.Trajectory t) {
    String severity = t.baselinePhq9() >= 20 ? "2" : t.baselinePhq9() >= 10 ? "1" : "0";
    boolean recurrent = r.nextDouble() < 0.65;
    String code = (recurrent ? "F33." : "F32.") + severity;
    String display = (recurrent ? "Major depressive disorder, recurrent, "
        : "Major depressive disorder, single episode, ")
        + (severity.equals("2") ? "severe without psychotic features"
            : severity.equals("1") ? "moderate" : "mild");
    add(condition(r, patientId, t.index(), code, display));
    if (t.baselineGad7() >= 10) {
      add(condition(r, patientId, t.index(), "F41.1", "Generalized anxiety disorder"));
    }
    if (t.ptsd()) {
      add(condition(r, patientId, t.index(), "F43.10", "Post-traumatic stress disorder, unspecified"));
    }
  }

  private Condition condition(SplittableRandom r, String patientId, LocalDate index, String code,
      String display) {
    Condition c = new Condition();
    OffsetDateTime recorded = at(r, index.minusDays(14 + r.nextInt(60)), 9, 17);
    meta(c, "Condition", uuid(r), 1, lastUpdated(r, recorded.toInstant()));
    c.setClinicalStatus(coding("http://terminology.hl7.org/CodeSystem/condition-clinical",
        "active", "Active"));
    c.setVerificationStatus(coding("http://terminology.hl7.org/CodeSystem/condition-ver-status",
        "confirmed", "Confirmed"));
    c.addCategory(coding("http://terminology.hl7.org/CodeSystem/condition-category",
        "problem-list-item", "Problem List Item"));
    c.setCode(coding(CodeSystems.ICD10CM, code, display));
    c.setSubject(new Reference("Patient/" + patientId));
    c.setOnset(new DateTimeType(index.minusDays(365 + r.nextInt(365 * 14)).toString()));
    c.setRecordedDateElement(new DateTimeType(EFFECTIVE.format(recorded)));
    return c;
  }

  private MedicationAdministration medicationAdministration(SplittableRandom r, String id,
      String patientId, OffsetDateTime when) {
    MedicationAdministration ma = new MedicationAdministration();
    meta(ma, "MedicationAdministration", id, 1, lastUpdated(r, when.toInstant()));
    ma.setStatus(MedicationAdministration.MedicationAdministrationStatus.COMPLETED);
    if (profile == ClinicProfile.HARBOR) {
      ma.setMedication(coding(ClinicProfile.HARBOR_MEDICATIONS, "KETAMINE-IV",
          "Ketamine IV infusion"));
    } else {
      ma.setMedication(coding(CodeSystems.RXNORM, CodeSystems.RXNORM_KETAMINE, "ketamine"));
    }
    ma.setSubject(new Reference("Patient/" + patientId));
    ma.setEffective(new DateTimeType(EFFECTIVE.format(when)));
    ma.addPerformer().setActor(new Reference("Practitioner/"
        + practitioners[r.nextInt(practitioners.length)]));
    ma.getDosage()
        .setText("0.5 mg/kg IV over 40 minutes")
        .setRoute(coding(CodeSystems.SNOMED, "47625008", "Intravenous route"))
        .setDose(new Quantity().setValue(25 + r.nextInt(36)).setUnit("mg")
            .setSystem(CodeSystems.UCUM).setCode("mg"));
    return ma;
  }

  private void add(Resource resource) {
    history.add(resource);
    if ("1".equals(resource.getMeta().getVersionId())) {
      current.add(resource);
    } else {
      // A later version replaces the earlier one in place, keeping the generation order.
      String id = resource.getIdElement().getIdPart();
      for (int i = current.size() - 1; i >= 0; i--) {
        Resource c = current.get(i);
        if (c.getIdElement().getIdPart().equals(id) && c.fhirType().equals(resource.fhirType())) {
          current.set(i, resource);
          return;
        }
      }
      current.add(resource);
    }
  }

  private static void meta(Resource resource, String type, String id, int version,
      Instant lastUpdated) {
    resource.setIdElement(new IdType(type, id, Integer.toString(version)));
    resource.getMeta().setVersionId(Integer.toString(version))
        .setLastUpdatedElement(new InstantType(INSTANT.format(lastUpdated)));
  }

  private static CodeableConcept coding(String system, String code, String display) {
    return new CodeableConcept().addCoding(new Coding(system, code, display));
  }

  private OffsetDateTime at(SplittableRandom r, LocalDate date, int fromHour, int toHour) {
    return date.atTime(LocalTime.of(fromHour + r.nextInt(toHour - fromHour + 1), r.nextInt(60)))
        .atOffset(profile.offset());
  }

  /** Records reach the server 1-72 hours after the fact, never after the reference instant. */
  private static Instant lastUpdated(SplittableRandom r, Instant effective) {
    return min(effective.plusSeconds(3600L + r.nextInt(71 * 3600)), REFERENCE_INSTANT);
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  private static int wrongValue(SplittableRandom r, Measure measure, int total) {
    int delta = 1 + r.nextInt(4);
    int value = total + (r.nextBoolean() ? delta : -delta);
    if (value < 0 || value > measure.maxScore()) {
      value = total + (value < 0 ? delta : -delta);
    }
    return value;
  }

  /** Spreads a PHQ-9 total over nine 0-3 items with item 9 fixed. */
  static int[] phqItems(SplittableRandom r, int total, int item9) {
    int[] items = new int[9];
    items[8] = item9;
    int remaining = total - item9;
    while (remaining > 0) {
      int i = r.nextInt(8);
      if (items[i] < 3) {
        items[i]++;
        remaining--;
      }
    }
    return items;
  }

  static String uuid(SplittableRandom r) {
    long hi = (r.nextLong() & ~0xF000L) | 0x4000L;
    long lo = (r.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return new UUID(hi, lo).toString();
  }

  static long mix(long seed, int clinic, int participant) {
    long z = seed * 0x9E3779B97F4A7C15L + clinic * 0xBF58476D1CE4E5B9L
        + (participant + 1L) * 0x94D049BB133111EBL;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Mutable description of one Observation before encoding. */
  private static final class Draft {
    String id;
    final Measure measure;
    final String patientId;
    final String patientName;
    OffsetDateTime when;
    int total;
    int item9;
    int[] items;
    int version = 1;
    ObservationStatus status = ObservationStatus.FINAL;
    Instant lastUpdated;
    String subjectOverride;

    Draft(String id, Measure measure, String patientId, String patientName, OffsetDateTime when,
        int total, int item9, int[] items) {
      this.id = id;
      this.measure = measure;
      this.patientId = patientId;
      this.patientName = patientName;
      this.when = when;
      this.total = total;
      this.item9 = item9;
      this.items = items;
    }

    Draft copy() {
      Draft d = new Draft(id, measure, patientId, patientName, when, total, item9,
          items == null ? null : items.clone());
      d.version = version;
      d.status = status;
      d.lastUpdated = lastUpdated;
      d.subjectOverride = subjectOverride;
      return d;
    }

    /** Changes the total; for item-level sources the items follow (item 9 kept if possible). */
    void setTotal(SplittableRandom r, int newTotal) {
      total = newTotal;
      if (items != null) {
        int keep = Math.max(Math.min(items[8], newTotal), newTotal - 24);
        items = phqItems(r, newTotal, keep);
      }
    }
  }
}
