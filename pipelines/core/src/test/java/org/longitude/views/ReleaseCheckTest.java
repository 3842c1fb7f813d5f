package org.longitude.views;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.longitude.config.DeidRules;
import org.longitude.config.Study;
import org.longitude.config.StudyLoader;
import org.longitude.config.StudyView.Release;
import org.longitude.config.StudyView.Rule;
import org.longitude.config.StudyView;
import org.longitude.release.ViewColumn;

/** Which views may run and how their columns are released, decided before any data. */
class ReleaseCheckTest {
  private static final FhirContext FHIR = FhirContext.forR4Cached();
  private static final Study DEMO = StudyLoader.load(StudyLoader.DEMO);
  private static final DeidRules DEID = DEMO.deid();

  private static StudyView view(String resource, Map<String, String> paths,
      Map<String, Release> rules) {
    StringBuilder columns = new StringBuilder();
    paths.forEach((name, path) -> columns.append(columns.length() == 0 ? "" : ",")
        .append("{\"name\":\"").append(name).append("\",\"path\":\"").append(path)
        .append("\"}"));
    String json = "{\"name\":\"v\",\"resource\":\"" + resource + "\",\"select\":[{\"column\":["
        + columns + "]}]}";
    return new StudyView("v", "test", json, rules, List.of());
  }

  private static Release rule(Rule rule, String... systems) {
    return new Release(rule, List.of(systems));
  }

  private static String refusal(String resource, String path, Release release) {
    Map<String, String> paths = new LinkedHashMap<>();
    paths.put("id", "getResourceKey()");
    paths.put("x", path);
    Map<String, Release> rules = new LinkedHashMap<>();
    rules.put("id", rule(Rule.PSEUDONYM));
    rules.put("x", release);
    return assertThrows(ViewException.class,
        () -> ReleaseCheck.check(view(resource, paths, rules), DEID, FHIR)).getMessage();
  }

  @Test
  void theDemoViewsPassWithTheirOutputs() {
    List<ReleasedView> views = StudyViews.check(DEMO.viewsOrEmpty(), DEID);
    assertEquals(List.of("ketamine_dose", "blood_pressure"),
        views.stream().map(ReleasedView::name).toList());
    ReleasedView dose = views.get(0);
    assertEquals("subject.getReferenceKey(Patient)", dose.participantPath());
    assertEquals(List.of("administration:STRING", "status:STRING", "given_on:DATE",
        "medication:STRING", "dose:DOUBLE", "dose_unit:STRING", "route:STRING"),
        dose.releasedColumns().stream().map(c -> c.name() + ":" + c.output()).toList());
    assertEquals(8, dose.columns().size()); // dosage_text is evaluated, never written
    ReleasedView bp = views.get(1);
    assertEquals(List.of("http://loinc.org|85354-9"), bp.codes());
    assertTrue(bp.schema().contains("\"logicalType\":\"date\""), bp.schema());
  }

  @Test
  void namesNotesAndUnshiftedDatesAreRefusedWithWhereAndWhy() {
    String name = refusal("Patient", "name.family.first()", rule(Rule.CODE, "x"));
    assertEquals("view 'v', column 'x' (rule code): name.family.first() reaches "
        + "HumanName.family (a string): names, addresses, telecom, identifiers, notes and "
        + "other free text are never released; drop the column", name);
    String note = refusal("Observation", "note.text.first()", rule(Rule.CODE, "x"));
    assertTrue(note.contains("reaches Annotation.text (a markdown)"), note);
    String pseudonymised = refusal("Patient", "name.family.first()", rule(Rule.PSEUDONYM));
    assertTrue(pseudonymised.contains("HumanName.family"), pseudonymised);
    String date = refusal("Observation", "effective.ofType(dateTime)",
        rule(Rule.CODE, "http://loinc.org"));
    assertEquals("view 'v', column 'x' (rule code): effective.ofType(dateTime) reaches "
        + "[Observation.effective (dateTime)], which rule code does not release; dates are "
        + "released only under shift_date, never as they are", date);
    String asNumber = refusal("Observation", "effective", rule(Rule.NUMBER));
    assertTrue(asNumber.contains("dates are released only under shift_date"), asNumber);
    // Dropped, anything may be evaluated: it is never written.
    ReleasedView dropped = ReleaseCheck.check(view("Patient",
        Map.of("id", "getResourceKey()", "phone", "telecom.value.first()"),
        Map.of("id", rule(Rule.PSEUDONYM), "phone", rule(Rule.DROP))), DEID, FHIR);
    assertEquals(List.of("id"),
        dropped.releasedColumns().stream().map(ViewColumn::name).toList());
    assertTrue(!dropped.schema().contains("phone"), dropped.schema());
  }

  @Test
  void textCodesWithoutSystemsAndUnknownResultsAreRefused() {
    assertTrue(refusal("Observation", "code.text", rule(Rule.CODE, "http://loinc.org"))
        .contains("free text is never released"));
    assertTrue(refusal("Observation", "code.coding.code.first()", rule(Rule.CODE))
        .contains("declare the code systems"));
    assertTrue(refusal("Observation", "subject.resolve().id", rule(Rule.PSEUDONYM))
        .contains("cannot tell what"));
    assertTrue(refusal("Observation", "code.coding.code.join(',')",
        rule(Rule.CODE, "http://loinc.org")).contains("computes a string"));
    assertTrue(refusal("Observation", "status", rule(Rule.SHIFT_DATE))
        .contains("which rule shift_date does not release"));
  }

  @Test
  void everyColumnNeedsARuleAndEveryRuleAColumn() {
    Map<String, String> paths = Map.of("id", "getResourceKey()");
    assertEquals("view 'v', column 'id': the column has no release rule; give it one of "
        + "pseudonym, shift_date, age, code, number or drop", assertThrows(ViewException.class,
            () -> ReleaseCheck.check(view("Patient", paths, Map.of()), DEID, FHIR))
            .getMessage());
    assertTrue(assertThrows(ViewException.class, () -> ReleaseCheck.check(view("Patient",
        paths, Map.of("id", rule(Rule.PSEUDONYM), "gone", rule(Rule.NUMBER))), DEID, FHIR))
        .getMessage().contains("column 'gone': a release rule names a column the view does "
            + "not have"));
  }

  @Test
  void viewsOverUnknownTypesOrWithoutAParticipantAreRefused() {
    Map<String, String> paths = Map.of("id", "getResourceKey()");
    Map<String, Release> rules = Map.of("id", rule(Rule.PSEUDONYM));
    assertTrue(assertThrows(ViewException.class, () -> ReleaseCheck.check(
        view("Encounterr", paths, rules), DEID, FHIR)).getMessage()
        .contains("Encounterr is not an R4 resource type"));
    assertTrue(assertThrows(ViewException.class, () -> ReleaseCheck.check(
        view("Medication", paths, rules), DEID, FHIR)).getMessage()
        .contains("Medication has no subject or patient"));
  }

  @Test
  void viewsOverTypesLongitudeDoesNotReadItselfArePulledForThem() {
    ReleasedView v = ReleaseCheck.check(view("Encounter", Map.of("id", "getResourceKey()"),
        Map.of("id", rule(Rule.PSEUDONYM))), DEID, FHIR);
    assertEquals("subject.getReferenceKey(Patient)", v.participantPath());
  }

  @Test
  void yearOnlyDatesAreYears() {
    DeidRules yearOnly = new DeidRules(DEID.keyEnv(), DEID.keyFile(),
        DeidRules.DateMode.YEAR_ONLY, DEID.maxShiftDays(), DEID.ageCap(),
        DEID.restrictedZip3(), DEID.smallCellMax());
    ReleasedView v = ReleaseCheck.check(view("Observation",
        Map.of("id", "getResourceKey()", "on", "effective.ofType(dateTime)"),
        Map.of("id", rule(Rule.PSEUDONYM), "on", rule(Rule.SHIFT_DATE))), yearOnly, FHIR);
    assertEquals(ViewColumn.Output.INT, v.releasedColumns().stream()
        .filter(c -> c.name().equals("on")).findFirst().orElseThrow().output());
  }
}
