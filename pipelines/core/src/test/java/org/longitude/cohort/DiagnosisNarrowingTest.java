package org.longitude.cohort;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.longitude.config.CohortSettings;
import org.longitude.timeline.Timeline;

/** An optional list of Condition codes narrows a cohort; without one, everyone qualifies. */
class DiagnosisNarrowingTest {
  private static final String ICD10 = "http://hl7.org/fhir/sid/icd-10-cm";

  private static Timeline withDiagnoses(String... codes) {
    return new Timeline("p", "north", null, null, null, null, null, List.of(), List.of(),
        List.of(codes));
  }

  private static CohortSettings.ConditionRule depression(List<CohortSettings.DiagnosisCode> dx) {
    return new CohortSettings.ConditionRule("PHQ9", 10,
        new CohortSettings.Response("relative", 0.5, null), 5, dx);
  }

  @Test
  void codePrefixesOfTheConfiguredSystemQualify() {
    CohortSettings.ConditionRule rule = depression(List.of(
        new CohortSettings.DiagnosisCode(ICD10, "F32"),
        new CohortSettings.DiagnosisCode(ICD10, "F33")));
    assertTrue(EvaluateFn.hasDiagnosis(withDiagnoses(ICD10 + "|F33.2"), rule));
    assertFalse(EvaluateFn.hasDiagnosis(withDiagnoses(ICD10 + "|F41.1"), rule), "anxiety only");
    assertFalse(EvaluateFn.hasDiagnosis(withDiagnoses("http://snomed.info/sct|F33.2"), rule),
        "same code, other system");
    assertFalse(EvaluateFn.hasDiagnosis(withDiagnoses(), rule), "no Condition at all");
  }

  @Test
  void withoutAListEveryoneQualifies() {
    assertTrue(EvaluateFn.hasDiagnosis(withDiagnoses(), depression(null)));
    assertTrue(EvaluateFn.hasDiagnosis(withDiagnoses(), depression(List.of())));
  }
}
