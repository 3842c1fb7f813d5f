package org.longitude.normalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.longitude.common.Reason;
import org.longitude.config.ClinicMapping;
import org.longitude.config.Study;
import org.longitude.config.StudyLoader;

class ResourceReaderTest {
  private static final Study DEMO = StudyLoader.load(StudyLoader.DEMO);
  private static final LocalDate TODAY = LocalDate.of(2026, 6, 30);

  private static ResourceReader reader(String clinic) {
    ClinicMapping mapping = DEMO.clinicsById().get(clinic).mapping();
    return new ResourceReader(clinic, DEMO.catalog(), mapping, TODAY);
  }

  private static String obs(String status, String coding, String value, String extra) {
    return """
        {"resourceType":"Observation","id":"o1","meta":{"versionId":"2"},"status":"%s",
         "code":{"coding":[%s]},"subject":{"reference":"Patient/p1"},
         "effectiveDateTime":"2024-03-05T10:15:00-05:00"%s%s}
        """.formatted(status, coding, value.isEmpty() ? "" : "," + value,
        extra.isEmpty() ? "" : "," + extra);
  }

  private static final String PHQ9_TOTAL = "{\"system\":\"http://loinc.org\",\"code\":\"44261-6\"}";

  @Test
  void aTypeOnlyTheViewsReadIsFilteredAsViewOnlyAnyOtherQuarantined() {
    ClinicMapping mapping = DEMO.clinicsById().get("north").mapping();
    String encounter = "{\"resourceType\":\"Encounter\",\"id\":\"e1\",\"subject\":"
        + "{\"reference\":\"Patient/p1\"}}";
    ResourceReader forViews = new ResourceReader("north", DEMO.catalog(), mapping, TODAY,
        Set.of("Encounter"));

    assertEquals(Reason.VIEW_ONLY, forViews.read("Encounter", encounter).dropped().reason());
    assertEquals(Reason.UNEXPECTED_RESOURCE_TYPE,
        reader("north").read("Encounter", encounter).dropped().reason());
  }

  @Test
  void loincTotalAsInteger() {
    Fact.ScoreFact s = (Fact.ScoreFact) reader("north")
        .read("Observation", obs("final", PHQ9_TOTAL, "\"valueInteger\":17", "")).fact();
    assertEquals("PHQ9", s.measure());
    assertEquals(17, s.total());
    assertEquals(LocalDate.of(2024, 3, 5), s.date());
    assertEquals("p1", s.patientId());
    assertEquals(2, s.version().number());
  }

  @Test
  void localCodeWithQuantityAndPeriodEnd() {
    String json = """
        {"resourceType":"Observation","id":"h1","status":"amended",
         "code":{"coding":[{"system":"http://harbor.example.org/fhir/CodeSystem/assessments","code":"GAD7"}]},
         "subject":{"reference":"Patient/p2"},
         "effectivePeriod":{"start":"2023-01-01T09:00:00Z","end":"2023-01-02T09:30:00Z"},
         "valueQuantity":{"value":12.0,"unit":"{score}","system":"http://unitsofmeasure.org","code":"{score}"}}
        """;
    Fact.ScoreFact s = (Fact.ScoreFact) reader("harbor").read("Observation", json).fact();
    assertEquals("GAD7", s.measure());
    assertEquals(12, s.total());
    assertEquals(LocalDate.of(2023, 1, 2), s.date());
  }

  @Test
  void itemsOnlyPanelIsScoredFromAnswers() {
    String[] items = {"44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2",
        "44252-5", "44253-3", "44260-8"};
    String[] answers = {"LA6571-9", "LA6570-1", "LA6569-3", "LA6568-5", "LA6571-9", "LA6570-1",
        "LA6569-3", "LA6568-5", "LA6569-3"}; // 3+2+1+0+3+2+1+0+1 = 13
    StringBuilder components = new StringBuilder("\"component\":[");
    for (int i = 0; i < 9; i++) {
      components.append(i == 0 ? "" : ",").append("""
          {"code":{"coding":[{"system":"http://loinc.org","code":"%s"}]},
           "valueCodeableConcept":{"coding":[{"system":"http://loinc.org","code":"%s"}]}}
          """.formatted(items[i], answers[i]));
    }
    components.append("]");
    String panel = "{\"system\":\"http://loinc.org\",\"code\":\"44249-1\"}";
    Fact.ScoreFact s = (Fact.ScoreFact) reader("summit")
        .read("Observation", obs("final", panel, "", components.toString())).fact();
    assertEquals(13, s.total());
    assertEquals(Arrays.asList(3, 2, 1, 0, 3, 2, 1, 0, 1), s.items());
  }

  @Test
  void panelWithHasMemberKeepsItsMemberIdsForTheTimeline() {
    String panel = "{\"system\":\"http://loinc.org\",\"code\":\"44249-1\"}";
    String members = """
        "hasMember":[{"reference":"Observation/i1"},
         {"reference":"https://fhir.example.org/r4/Observation/i2/_history/3"},
         {"reference":"QuestionnaireResponse/q1"},{"reference":"Observation/i1"}]""";
    Fact.ScoreFact s = (Fact.ScoreFact) reader("summit")
        .read("Observation", obs("final", panel, "", members)).fact();
    assertNull(s.total());
    assertEquals(List.of("i1", "i2"), s.members());
    // Without members (or a value) the same panel has nothing to score.
    assertEquals(Reason.MISSING_VALUE, reader("summit")
        .read("Observation", obs("final", panel, "", "")).dropped().reason());
  }

  @Test
  void gadPanelCarryingTotalAndNumericString() {
    String gadPanel = "{\"system\":\"http://loinc.org\",\"code\":\"69737-5\"}";
    assertEquals(9, ((Fact.ScoreFact) reader("summit")
        .read("Observation", obs("final", gadPanel, "\"valueInteger\":9", "")).fact()).total());
    String pcl = "{\"system\":\"http://loinc.org\",\"code\":\"101698-9\"}";
    assertEquals(42, ((Fact.ScoreFact) reader("summit")
        .read("Observation", obs("final", pcl, "\"valueString\":\" 42 \"", "")).fact()).total());
  }

  @Test
  void enteredInErrorBecomesRetraction() {
    Fact f = reader("north")
        .read("Observation", obs("entered-in-error", PHQ9_TOTAL, "\"valueInteger\":5", "")).fact();
    Fact.RetractionFact r = assertInstanceOf(Fact.RetractionFact.class, f);
    assertEquals("o1", r.recordId());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "preliminary status    | preliminary | \"valueInteger\":5          | STATUS_PRELIMINARY",
      "out of range          | final       | \"valueInteger\":35         | VALUE_OUT_OF_RANGE",
      "non-numeric string    | final       | \"valueString\":\"severe\"  | NON_NUMERIC_VALUE",
      "fractional quantity   | final       | \"valueQuantity\":{\"value\":4.5} | NON_NUMERIC_VALUE",
      "unknown unit          | final       | \"valueQuantity\":{\"value\":4,\"unit\":\"mg\"} | UNKNOWN_UNIT",
      "missing value         | final       | \"valueBoolean\":true       | MISSING_VALUE",
      "unknown answer code   | final       | \"valueCodeableConcept\":{\"coding\":[{\"code\":\"LA0000-0\"}]} | UNKNOWN_ANSWER_CODE",
  })
  void quarantinesOrFiltersWithReason(String name, String status, String value, Reason reason) {
    ResourceReader.Result r = reader("north").read("Observation", obs(status, PHQ9_TOTAL, value, ""));
    assertNull(r.fact());
    assertEquals(reason, r.dropped().reason());
    assertEquals("PHQ9", r.dropped().measure());
  }

  @Test
  void structuralProblems() {
    ResourceReader north = reader("north");
    assertEquals(Reason.MALFORMED_JSON, north.read("Observation", "{\"resourceType\":").dropped().reason());
    assertEquals(Reason.NOT_A_RESOURCE, north.read("Observation", "[1,2]").dropped().reason());
    assertEquals(Reason.UNEXPECTED_RESOURCE_TYPE,
        north.read("Observation", "{\"resourceType\":\"Patient\",\"id\":\"x\"}").dropped().reason());
    assertEquals(Reason.MISSING_SUBJECT, north.read("Observation",
        obs("final", PHQ9_TOTAL, "\"valueInteger\":5", "").replace("Patient/p1", "Group/g"))
        .dropped().reason());
    assertEquals(Reason.MISSING_DATE, north.read("Observation",
        obs("final", PHQ9_TOTAL, "\"valueInteger\":5", "")
            .replace("\"effectiveDateTime\":\"2024-03-05T10:15:00-05:00\"", "\"issued\":\"2024-03-05T10:15:00Z\""))
        .dropped().reason());
    assertEquals(Reason.FUTURE_DATE, north.read("Observation",
        obs("final", PHQ9_TOTAL, "\"valueInteger\":5", "").replace("2024-03-05", "2027-01-01"))
        .dropped().reason());
    assertEquals(Reason.UNMAPPED_CODE, north.read("Observation",
        obs("final", "{\"system\":\"http://loinc.org\",\"code\":\"8867-4\"}", "\"valueInteger\":5", ""))
        .dropped().reason());
  }

  @Test
  void itemsDisagreeingWithTotalAreQuarantined() {
    StringBuilder components = new StringBuilder("\"component\":[");
    List<String> items = DEMO.catalog().measure("GAD7").items();
    for (int i = 0; i < items.size(); i++) {
      components.append(i == 0 ? "" : ",").append("{\"code\":{\"coding\":[{\"system\":"
          + "\"http://loinc.org\",\"code\":\"" + items.get(i) + "\"}]},\"valueInteger\":1}");
    }
    components.append("]");
    String gadTotal = "{\"system\":\"http://loinc.org\",\"code\":\"70274-6\"}";
    assertEquals(7, ((Fact.ScoreFact) reader("north").read("Observation",
        obs("final", gadTotal, "\"valueInteger\":7", components.toString())).fact()).total());
    assertEquals(Reason.ITEMS_TOTAL_MISMATCH, reader("north").read("Observation",
        obs("final", gadTotal, "\"valueInteger\":8", components.toString())).dropped().reason());
  }

  @Test
  void ketamineAdministrationsByClinicCodes() {
    String admin = """
        {"resourceType":"MedicationAdministration","id":"m1","status":"completed",
         "medicationCodeableConcept":{"coding":[{"system":"%s","code":"%s"}]},
         "subject":{"reference":"Patient/p1"},"effectiveDateTime":"2022-05-01T08:00:00Z"}
        """;
    Fact.AdministrationFact a = (Fact.AdministrationFact) reader("harbor").read(
        "MedicationAdministration", admin.formatted(
            "http://harbor.example.org/fhir/CodeSystem/medications", "KETAMINE-IV")).fact();
    assertEquals(LocalDate.of(2022, 5, 1), a.date());
    assertEquals(Reason.NOT_KETAMINE, reader("north").read("MedicationAdministration",
        admin.formatted("http://www.nlm.nih.gov/research/umls/rxnorm", "1234")).dropped().reason());
  }

  @Test
  void ketamineProcedureCountsAsTreatmentWhenTheClinicMapsIt() {
    ClinicMapping mapping = new ClinicMapping("riverside", List.of(), List.of(), List.of(),
        List.of(new ClinicMapping.Coding("http://snomed.info/sct", "1259221004")));
    ResourceReader reader = new ResourceReader("riverside", DEMO.catalog(), mapping, TODAY);
    String procedure = """
        {"resourceType":"Procedure","id":"pr1","status":"completed",
         "code":{"coding":[{"system":"http://snomed.info/sct","code":"%s"}]},
         "subject":{"reference":"Patient/p9"},
         "performedPeriod":{"start":"2023-02-03T09:00:00Z","end":"2023-02-03T10:00:00Z"}}
        """;
    Fact.AdministrationFact a = (Fact.AdministrationFact) reader.read("Procedure",
        procedure.formatted("1259221004")).fact();
    assertEquals("Procedure", a.resourceType());
    assertEquals(LocalDate.of(2023, 2, 3), a.date());
    assertEquals(Reason.NOT_KETAMINE,
        reader.read("Procedure", procedure.formatted("80146002")).dropped().reason());
  }
}
