package org.longitude.config;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/** Cohort rules as written in {@code cohort.yaml}; see the README for each rule. */
public record CohortSettings(
    List<Integer> baselineWindowDays,
    int initialCourseEndDay,
    List<Integer> courseOutcomeWindowDays,
    int relapseConsecutiveScores,
    List<Integer> siResolutionDays,
    List<Integer> landmarkMonths,
    double daysPerMonth,
    Map<String, ConditionRule> conditions) implements Serializable {

  /** The cohort of one condition. */
  public record ConditionRule(
      String measure,
      int eligibilityMin,
      Response response,
      int remissionBelow,
      List<DiagnosisCode> diagnoses) implements Serializable {}

  /** Response rule: relative (score <= fraction x baseline) or absolute_drop (points). */
  public record Response(String rule, Double fraction, Integer points) implements Serializable {}

  /** A Condition code that qualifies for the cohort (optional narrowing). */
  public record DiagnosisCode(String system, String codePrefix) implements Serializable {}
}
