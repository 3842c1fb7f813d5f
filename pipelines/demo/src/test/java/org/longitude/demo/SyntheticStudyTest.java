package org.longitude.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.Period;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticStudyTest {

  private static final FhirContext FHIR = FhirContext.forR4Cached();
  private static SyntheticStudy study;

  @BeforeAll
  static void generate() {
    study = SyntheticStudy.generate(2024, 200);
  }

  @Test
  void sameSeedAndSizeGiveIdenticalJson() {
    List<String> first = encodeAll(SyntheticStudy.generate(7, 12));
    List<String> second = encodeAll(SyntheticStudy.generate(7, 12));
    assertEquals(first, second);
    assertNotEquals(first, encodeAll(SyntheticStudy.generate(8, 12)));
  }

  @Test
  void calibrationMatchesTheTargets() {
    CohortSummary s = study.summary();
    assertEquals(600, s.participants());
    assertTrue(s.depressionEligible() > 300, "eligible " + s.depressionEligible());
    assertInRange("response", s.responseRate(), 0.40, 0.60);
    assertInRange("remission", s.remissionRate(), 0.25, 0.45);
    assertInRange("SI resolution by day 3", s.siResolutionRate(), 0.50, 0.75);
    assertTrue(s.siAtBaseline() > 100, "SI at baseline " + s.siAtBaseline());
    assertInRange("boosters", s.boosterFraction(), 0.33, 0.47);
    assertInRange("PTSD", s.ptsdFraction(), 0.33, 0.47);
    assertInRange("relapse days without boosters", s.medianRelapseDaysWithoutBoosters(), 100, 170);
    assertTrue(s.medianRelapseDaysWithBoosters() >= 330,
        "relapse days with boosters " + s.medianRelapseDaysWithBoosters());
  }

  @Test
  void groundTruthEqualsAnIndependentCleanExtraction() {
    for (ClinicDataset clinic : study.clinics()) {
      List<ReferenceExtraction.Kept> extracted = ReferenceExtraction.extract(clinic);
      List<ReferenceExtraction.Kept> truth = ReferenceExtraction.fromTruth(clinic.truth());
      assertEquals(truth.size(), new HashSet<>(truth).size(), clinic.clinicId() + " truth unique");
      assertEquals(new HashSet<>(truth), new HashSet<>(extracted), clinic.clinicId());
      assertEquals(truth.size(), extracted.size(), clinic.clinicId());
    }
  }

  @Test
  void everyDirtKindIsSeededAndRecorded() {
    for (ClinicDataset clinic : study.clinics()) {
      Map<DirtKind, Integer> counts = clinic.truth().dirtCounts();
      int observations = clinic.resources(Observation.class).size();
      for (DirtKind kind : DirtKind.values()) {
        double rate = (double) counts.get(kind) / observations;
        assertTrue(rate > 0.002 && rate < 0.03, clinic.clinicId() + " " + kind + " " + rate);
      }
      Map<String, Resource> current = clinic.resources().stream()
          .collect(Collectors.toMap(r -> r.fhirType() + "/" + r.getIdElement().getIdPart(),
              r -> r));
      for (GroundTruth.DirtyRecord d : clinic.truth().dirtyRecords()) {
        Observation o = (Observation) current.get("Observation/" + d.observationId());
        switch (d.kind()) {
          case AMENDED:
            assertEquals("2", o.getMeta().getVersionId());
            assertEquals(Observation.ObservationStatus.AMENDED, o.getStatus());
            assertEquals(2, versions(clinic, d.observationId()).size());
            break;
          case ENTERED_IN_ERROR:
            assertEquals(Observation.ObservationStatus.ENTEREDINERROR, o.getStatus());
            assertEquals(Observation.ObservationStatus.FINAL,
                versions(clinic, d.observationId()).get(0).getStatus());
            break;
          case PRELIMINARY:
            assertEquals(Observation.ObservationStatus.PRELIMINARY, o.getStatus());
            break;
          case MISSING_DATE:
            assertFalse(o.hasEffective());
            break;
          case DANGLING_SUBJECT:
            assertFalse(current.containsKey(o.getSubject().getReference()));
            break;
          case FUTURE_DATE:
            String when = o.hasEffectiveDateTimeType()
                ? o.getEffectiveDateTimeType().getValueAsString()
                : o.getEffectivePeriod().getStartElement().getValueAsString();
            assertTrue(when.compareTo("2026-07") > 0, when);
            break;
          default:
            break;
        }
      }
    }
  }

  @Test
  void nothingCleanIsDatedAfterTheReferenceDate() {
    java.time.Instant limit = java.time.Instant.parse("2026-06-30T00:00:00Z");
    for (ClinicDataset clinic : study.clinics()) {
      Set<String> future = clinic.truth().dirtyRecords().stream()
          .filter(d -> d.kind() == DirtKind.FUTURE_DATE).map(GroundTruth.DirtyRecord::observationId)
          .collect(Collectors.toSet());
      for (Resource r : clinic.history()) {
        assertFalse(r.getMeta().getLastUpdated().toInstant().isAfter(limit), r.getId());
        if (r instanceof Observation o && o.hasEffectiveDateTimeType()
            && !future.contains(o.getIdElement().getIdPart())) {
          assertTrue(o.getEffectiveDateTimeType().getValueAsString().compareTo("2026-06-30") < 0);
        }
      }
      for (GroundTruth.Participant p : clinic.truth().participants().values()) {
        assertFalse(p.indexDate().isBefore(LocalDate.of(2021, 1, 1)));
        assertFalse(p.indexDate().isAfter(LocalDate.of(2023, 6, 30)));
        assertEquals(p.indexDate(), p.infusions().get(0).date());
        assertTrue(p.infusions().stream().filter(i -> !i.booster()).count() <= 6);
      }
    }
  }

  @Test
  void eachClinicQuirkIsVisibleInTheJson() {
    String north = json(study.clinic("north"));
    assertTrue(north.contains("\"system\":\"http://loinc.org\",\"code\":\"44261-6\""));
    assertTrue(north.contains("\"code\":\"44260-8\""));
    assertTrue(north.contains("\"code\":\"70274-6\""));
    assertTrue(north.contains("\"code\":\"101698-9\""));
    assertTrue(north.contains("\"valueInteger\":"));
    assertTrue(north.contains("\"system\":\"http://www.nlm.nih.gov/research/umls/rxnorm\",\"code\":\"6130\""));
    assertFalse(north.contains("valueQuantity"));

    String harbor = json(study.clinic("harbor"));
    assertTrue(harbor.contains("\"system\":\"" + ClinicProfile.HARBOR_ASSESSMENTS + "\",\"code\":\"PHQ9\""));
    assertTrue(harbor.contains("\"code\":\"PHQ9-Q9\""));
    assertTrue(harbor.contains("\"code\":\"GAD7\""));
    assertTrue(harbor.contains("\"code\":\"PCL5\""));
    assertTrue(harbor.contains("\"unit\":\"{score}\",\"system\":\"http://unitsofmeasure.org\""));
    assertTrue(harbor.matches("(?s).*\"valueQuantity\":\\{\"value\":\\d+}.*"), "unit-less quantity");
    assertTrue(harbor.contains("\"effectivePeriod\":{\"start\""));
    assertTrue(harbor.contains("\"code\":\"KETAMINE-IV\""));
    assertFalse(harbor.contains("44261-6"));

    ClinicDataset summitData = study.clinic("summit");
    String summit = json(summitData);
    assertFalse(summit.contains("44261-6"));
    assertTrue(summit.contains("\"code\":\"69737-5\""));
    assertTrue(summit.matches("(?s).*\"valueString\":\"\\d+\".*"));
    assertTrue(summit.contains("\"code\":\"LA6571-9\""));
    Observation panel = summitData.resources(Observation.class).stream()
        .filter(o -> o.getCode().getCodingFirstRep().getCode().equals("44249-1")).findFirst()
        .orElseThrow();
    assertFalse(panel.hasValue());
    assertEquals(List.of(CodeSystems.LOINC_PHQ9_ITEMS), panel.getComponent().stream()
        .map(c -> c.getCode().getCodingFirstRep().getCode()).collect(Collectors.toList()));
    assertTrue(panel.getComponent().stream().allMatch(c -> c.hasValueCodeableConcept()));
  }

  @Test
  void patientsCarryPhiShapedDemographics() {
    Set<String> zip3 = new HashSet<>();
    int ninetyPlus = 0;
    int minAge = 200;
    for (ClinicDataset clinic : study.clinics()) {
      Map<String, LocalDate> index = new HashMap<>();
      clinic.truth().participants().values().forEach(p -> index.put(p.patientId(), p.indexDate()));
      for (Patient p : clinic.resources(Patient.class)) {
        assertTrue(p.getNameFirstRep().hasFamily() && p.hasTelecom() && p.hasIdentifier());
        zip3.add(p.getAddressFirstRep().getPostalCode().substring(0, 3));
        LocalDate birth = LocalDate.parse(p.getBirthDateElement().getValueAsString());
        int age = Period.between(birth, index.get(p.getIdElement().getIdPart())).getYears();
        assertTrue(age >= 18 && age <= 95, "age " + age);
        minAge = Math.min(minAge, age);
        ninetyPlus += age >= 90 ? 1 : 0;
      }
    }
    assertTrue(zip3.contains("036") && zip3.contains("102") && zip3.contains("890"), zip3.toString());
    assertTrue(ninetyPlus > 0);
    assertTrue(minAge < 25);
    long withNotes = study.clinics().stream().flatMap(c -> c.resources(Observation.class).stream())
        .filter(Observation::hasNote).count();
    assertTrue(withNotes > 100);
  }

  @Test
  void ndjsonExportWritesOneResourcePerLine(@TempDir Path dir) throws IOException {
    ClinicDataset harbor = SyntheticStudy.generate(3, 10).clinic("harbor");
    Map<String, Path> files = NdjsonExport.write(harbor, dir.resolve("current"));
    IParser parser = FHIR.newJsonParser();
    int total = 0;
    for (String type : NdjsonExport.RESOURCE_TYPES) {
      List<String> lines = Files.readAllLines(files.get(type), StandardCharsets.UTF_8);
      for (String line : lines) {
        assertEquals(type, parser.parseResource(line).fhirType());
      }
      total += lines.size();
    }
    assertEquals(harbor.resources().size(), total);

    Map<String, Path> all = NdjsonExport.writeAllVersions(harbor, dir.resolve("all"));
    long lines = Files.readAllLines(all.get("Observation")).size();
    assertEquals(harbor.history().stream().filter(r -> r instanceof Observation).count(), lines);
    assertTrue(lines > harbor.resources(Observation.class).size());
  }

  private static List<Observation> versions(ClinicDataset clinic, String id) {
    return clinic.history().stream()
        .filter(r -> r instanceof Observation && r.getIdElement().getIdPart().equals(id))
        .map(r -> (Observation) r).collect(Collectors.toList());
  }

  private static String json(ClinicDataset clinic) {
    IParser parser = FHIR.newJsonParser();
    return clinic.history().stream().map(parser::encodeResourceToString)
        .collect(Collectors.joining("\n"));
  }

  private static List<String> encodeAll(SyntheticStudy s) {
    IParser parser = FHIR.newJsonParser();
    return s.clinics().stream().flatMap(c -> c.history().stream())
        .map(parser::encodeResourceToString).collect(Collectors.toList());
  }

  private static void assertInRange(String what, double value, double lo, double hi) {
    assertTrue(value >= lo && value <= hi, what + " = " + value + " not in [" + lo + ", " + hi + "]");
  }
}
