package org.longitude.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;

/**
 * A {@link SyntheticStudy} with a unique canary string planted in every string-bearing place a
 * clinic could fill (names, addresses, telecom, identifiers, notes, narrative, code texts,
 * displays, units, extensions, non-numeric {@code valueString}, performer references, meta), and
 * distinctive true dates for one participant. Nothing planted may ever reach research outputs.
 *
 * <p>Deterministic for a given seed and size, so a test and a child process building it
 * separately agree on every canary and id.
 */
public final class CanaryStudy {
  /** The prefix of every canary: finding it anywhere in research outputs or logs is a leak. */
  public static final String PREFIX = "CANARY";
  /**
   * Distinctive true dates of {@link #canaryPatientId()}: its birth, and one PHQ-9 score moved
   * decades before the cohort's years, where no shifted date of anyone can land by chance.
   */
  public static final LocalDate CANARY_BIRTH = LocalDate.of(1957, 8, 23);
  public static final LocalDate CANARY_SCORE_DATE = LocalDate.of(1999, 1, 7);

  private final List<ClinicDataset> clinics;
  private final Set<String> currentCanaries;
  private final Set<String> sourceIds;
  private final String canaryClinic;
  private final String canaryPatientId;
  private final LocalDate canaryScoreDate;
  private final String canaryScoreId;
  private int counter;

  private CanaryStudy(SyntheticStudy base, Predicate<String> eligibleCanaryPatient) {
    currentCanaries = new LinkedHashSet<>();
    sourceIds = new LinkedHashSet<>();
    ClinicDataset north = base.clinic("north");
    String chosen = null;
    for (GroundTruth.Participant p : north.truth().participants().values()) {
      if (!p.scores(Measure.PHQ9).isEmpty() && eligibleCanaryPatient.test(p.patientId())) {
        chosen = p.patientId();
        break;
      }
    }
    if (chosen == null) {
      throw new IllegalStateException("no eligible canary participant in north");
    }
    canaryClinic = "north";
    canaryPatientId = chosen;
    GroundTruth.Participant who = north.truth().participant(chosen);
    canaryScoreDate = CANARY_SCORE_DATE;
    canaryScoreId = who.scores(Measure.PHQ9).get(0).observationId();

    List<ClinicDataset> planted = new ArrayList<>();
    for (ClinicDataset dataset : base.clinics()) {
      Map<Resource, Resource> copies = new IdentityHashMap<>();
      Set<Resource> current = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
      current.addAll(dataset.resources());
      List<Resource> history = new ArrayList<>();
      for (Resource original : dataset.history()) {
        Resource copy = original.copy();
        sourceIds.add(original.getIdElement().getIdPart());
        Set<String> sink = current.contains(original) ? currentCanaries : new LinkedHashSet<>();
        plant(copy, sink);
        if (dataset.clinicId().equals(canaryClinic)) {
          canaryDates(copy);
        }
        copies.put(original, copy);
        history.add(copy);
      }
      List<Resource> currentCopies = dataset.resources().stream().map(copies::get).toList();
      planted.add(new ClinicDataset(dataset.profile(), currentCopies, history, dataset.truth()));
    }
    clinics = List.copyOf(planted);
  }

  /**
   * Plants canaries in {@code SyntheticStudy.generate(seed, participantsPerClinic)}; the canary
   * participant is the first in north with a PHQ-9 score that {@code eligible} accepts (tests
   * pass one whose date shift is not zero, so unshifted dates are detectable).
   */
  public static CanaryStudy generate(long seed, int participantsPerClinic,
      Predicate<String> eligible) {
    // With vitals: the blood pressure around infusions that the demo's views read.
    return new CanaryStudy(SyntheticStudy.generate(seed, participantsPerClinic, null, true),
        eligible);
  }

  public List<ClinicDataset> clinics() {
    return clinics;
  }

  public ClinicDataset clinic(String id) {
    return clinics.stream().filter(c -> c.clinicId().equals(id)).findFirst().orElseThrow();
  }

  /** Every canary planted in a current version (what the clinics serve). */
  public Set<String> currentCanaries() {
    return currentCanaries;
  }

  /** Every source resource id, and the Practitioner ids performers point at. */
  public Set<String> sourceIds() {
    return sourceIds;
  }

  public String canaryClinic() {
    return canaryClinic;
  }

  public String canaryPatientId() {
    return canaryPatientId;
  }

  /** The id of the canary participant's PHQ-9 score dated {@link #CANARY_SCORE_DATE}. */
  public String canaryScoreId() {
    return canaryScoreId;
  }

  /** The true date of the canary participant's first PHQ-9 score, {@link #CANARY_SCORE_DATE}. */
  public LocalDate canaryScoreDate() {
    return canaryScoreDate;
  }

  /**
   * Writes one clinic as Bulk Data NDJSON and plants canaries HAPI's model cannot carry: a
   * free-text gender, text version ids, a non-ZIP postal code and unknown fields.
   */
  public void writeNdjsonWithRawCanaries(String clinicId, Path dir) throws IOException {
    NdjsonExport.write(clinic(clinicId), dir);
    ObjectMapper json = new ObjectMapper();
    for (String type : NdjsonExport.RESOURCE_TYPES) {
      Path file = dir.resolve(type + ".ndjson");
      List<String> lines = new ArrayList<>();
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        ObjectNode r = (ObjectNode) json.readTree(line);
        ((ObjectNode) r.get("meta")).put("versionId", canary("VERSION", currentCanaries));
        r.put("canaryUnknownField", canary("UNKNOWNFIELD", currentCanaries));
        if (type.equals("Patient")) {
          r.put("gender", canary("GENDER", currentCanaries));
          ((ObjectNode) r.get("address").get(0)).put("postalCode",
              canary("POSTALCODE", currentCanaries));
        }
        lines.add(r.toString());
      }
      Files.write(file, lines, StandardCharsets.UTF_8);
    }
  }

  private String canary(String kind, Set<String> sink) {
    String value = String.format("%s-%s-%04d", PREFIX, kind, ++counter);
    sink.add(value);
    return value;
  }

  private void plant(Resource resource, Set<String> sink) {
    DomainResource r = (DomainResource) resource;
    r.getText().setStatus(Narrative.NarrativeStatus.GENERATED).setDivAsString(
        "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>" + canary("NARRATIVE", sink)
            + "</p></div>");
    r.addExtension("http://example.org/fhir/StructureDefinition/" + canary("EXTURL", sink),
        new StringType(canary("EXTENSION", sink)));
    r.getMeta().addTag("http://example.org/tags", canary("TAGCODE", sink), canary("TAG", sink));
    r.getMeta().setSource("urn:" + canary("METASOURCE", sink));
    if (r instanceof Patient p) {
      patient(p, sink);
    } else if (r instanceof Observation o) {
      observation(o, sink);
    } else if (r instanceof Condition c) {
      c.addNote().setText(canary("CONDITIONNOTE", sink));
      c.getCode().setText(canary("CODETEXT", sink));
      c.getCode().getCoding().forEach(coding -> coding.setDisplay(canary("DISPLAY", sink)));
      c.addIdentifier().setSystem("urn:problems").setValue(canary("IDENTIFIER", sink));
      c.setRecorder(new Reference("Practitioner/" + canary("RECORDER", sink))
          .setDisplay(canary("RECORDERNAME", sink)));
    } else if (r instanceof MedicationAdministration m) {
      m.addNote().setText(canary("ADMINNOTE", sink));
      m.getDosage().setText(canary("DOSAGE", sink));
      m.getDosage().getDose().setUnit(canary("DOSEUNIT", sink)); // the code stays UCUM's
      m.getMedicationCodeableConcept().setText(canary("CODETEXT", sink));
      m.getMedicationCodeableConcept().getCoding()
          .forEach(coding -> coding.setDisplay(canary("DISPLAY", sink)));
      m.getPerformer().forEach(p -> {
        sourceIds.add(p.getActor().getReferenceElement().getIdPart());
        p.getActor().setDisplay(canary("PERFORMERNAME", sink));
      });
      m.addPerformer().setActor(new Reference("Practitioner/" + canary("PERFORMER", sink)));
      m.addReasonCode(new CodeableConcept().setText(canary("REASON", sink)));
    }
  }

  private void patient(Patient p, Set<String> sink) {
    p.setName(new ArrayList<>());
    p.addName().setUse(HumanName.NameUse.OFFICIAL).setFamily(canary("FAMILY", sink))
        .addGiven(canary("GIVEN", sink)).setText(canary("FULLNAME", sink));
    p.getTelecom().forEach(t -> t.setValue(canary(
        t.getSystem() == ContactPoint.ContactPointSystem.EMAIL ? "EMAIL" : "PHONE", sink)));
    for (Address a : p.getAddress()) {
      a.setLine(new ArrayList<>());
      a.addLine(canary("LINE", sink)).setCity(canary("CITY", sink))
          .setDistrict(canary("DISTRICT", sink)).setText(canary("ADDRESSTEXT", sink));
    }
    p.getIdentifier().forEach(id -> id.setValue(canary("MRN", sink)));
    p.addIdentifier().setSystem("http://hl7.org/fhir/sid/us-ssn").setValue(canary("SSN", sink));
    p.addContact().setName(new HumanName().setFamily(canary("CONTACT", sink)))
        .addTelecom(new ContactPoint().setValue(canary("CONTACTPHONE", sink)));
    p.getBirthDateElement().addExtension("http://example.org/birthplace",
        new StringType(canary("BIRTHPLACE", sink)));
    p.setMaritalStatus(new CodeableConcept().setText(canary("MARITAL", sink)));
    p.addGeneralPractitioner(new Reference("Practitioner/" + canary("GP", sink))
        .setDisplay(canary("GPNAME", sink)));
  }

  private void observation(Observation o, Set<String> sink) {
    boolean bloodPressure = o.getCode().getCoding().stream()
        .anyMatch(c -> "85354-9".equals(c.getCode()));
    sourceIds.add(o.getSubject().getReferenceElement().getIdPart());
    o.addNote().setText(canary("NOTE", sink));
    o.getCode().setText(canary("CODETEXT", sink));
    o.getCode().getCoding().forEach(coding -> coding.setDisplay(canary("DISPLAY", sink)));
    for (Observation.ObservationComponentComponent c : o.getComponent()) {
      c.getCode().setText(canary("COMPONENTTEXT", sink));
      c.getCode().getCoding().forEach(coding -> coding.setDisplay(canary("DISPLAY", sink)));
      if (c.getValue() instanceof Quantity reading && bloodPressure) {
        reading.setUnit(canary("UNIT", sink)); // the code stays UCUM's; scores keep theirs
      }
      if (c.getValue() instanceof CodeableConcept answer) {
        answer.setText(canary("ANSWERTEXT", sink));
        answer.getCoding().forEach(coding -> coding.setDisplay(canary("DISPLAY", sink)));
      }
    }
    o.getPerformer().forEach(p -> {
      sourceIds.add(p.getReferenceElement().getIdPart());
      p.setDisplay(canary("PERFORMERNAME", sink));
    });
    o.addPerformer(new Reference("Practitioner/" + canary("PERFORMER", sink)));
    o.addIdentifier().setSystem("urn:results").setValue(canary("IDENTIFIER", sink));
    o.addInterpretation(new CodeableConcept().setText(canary("INTERPRETATION", sink)));
    o.getCategoryFirstRep().getCodingFirstRep().setDisplay(canary("DISPLAY", sink));
    // Every fifth numeric score becomes free text: it must be quarantined (restricted only).
    // (The canary-dated score stays numeric so that its date reaches the research path.)
    String id = o.getIdElement().getIdPart();
    if ((o.getValue() instanceof IntegerType || o.getValue() instanceof Quantity)
        && id.hashCode() % 5 == 0 && !id.equals(canaryScoreId)) {
      o.setValue(new StringType(canary("VALUESTRING", sink)));
    }
  }

  private void canaryDates(Resource r) {
    if (r instanceof Patient p && p.getIdElement().getIdPart().equals(canaryPatientId)) {
      p.getBirthDateElement().setValueAsString(CANARY_BIRTH.toString()); // keeps its extension
    } else if (r instanceof Observation o && o.getIdElement().getIdPart().equals(canaryScoreId)) {
      o.setEffective(new DateTimeType(canaryScoreDate + "T10:11:12-05:00"));
    }
  }
}
