package org.longitude.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.longitude.config.Study;
import org.longitude.config.StudyLoader;
import org.longitude.config.StudyView;

/** A view over a type Longitude does not read itself has that type pulled for it, whole. */
class ViewOnlyTypesTest {
  static final String ENCOUNTERS = """
      {"resourceType": "ViewDefinition", "name": "encounters", "resource": "Encounter",
       "select": [{"column": [{"name": "encounter", "path": "getResourceKey()"}]}]}""";
  private static final Study DEMO = StudyLoader.load(StudyLoader.DEMO);

  /** The study with one more view, over Encounter. */
  static Study withEncounterView(Study study) {
    List<StudyView> views = new ArrayList<>(study.viewsOrEmpty());
    views.add(new StudyView("encounters", "test", ENCOUNTERS, Map.of("encounter",
        new StudyView.Release(StudyView.Rule.PSEUDONYM, List.of())), List.of()));
    return new Study(study.id(), study.source(), study.clinics(), study.catalog(),
        study.deid(), study.cohort(), study.schedule(), views);
  }

  @Test
  void onlyTypesNoTimelineReadsAreViewOnly() {
    assertEquals(Set.of(), DEMO.viewOnlyTypes(), "the demo's views read administrations and "
        + "Observations, which are pulled anyway");
    assertEquals(Set.of("Encounter"), withEncounterView(DEMO).viewOnlyTypes());
  }

  @Test
  void aSearchClinicSearchesTheViewOnlyTypeWithoutAFilter() {
    Study study = withEncounterView(DEMO);
    Study.Clinic north = study.clinicsById().get("north");

    List<PullTask> tasks = Extract.plan(study.withClinics(List.of(north)));

    assertEquals(List.of("Patient", "Condition", "MedicationAdministration", "Observation",
        "Encounter"), tasks.stream().map(PullTask::resourceType).toList());
    assertEquals("", tasks.get(4).query());
    assertTrue(tasks.get(3).query().startsWith("code="), "Observations stay narrowed");
  }

  @Test
  void aBulkExportAsksForTheViewOnlyTypeWhole() {
    Study study = withEncounterView(DEMO);

    String query = Extract.exportQuery(study, study.clinicsById().get("harbor"));

    String types = query.substring("_type=".length(), query.indexOf('&'));
    assertEquals("Patient,Condition,MedicationAdministration,Observation,Encounter", types);
    String filters = URLDecoder.decode(query.substring(query.indexOf("_typeFilter=")),
        StandardCharsets.UTF_8);
    assertTrue(!filters.contains("Encounter?"), "no filter narrows it: " + filters);
  }
}
