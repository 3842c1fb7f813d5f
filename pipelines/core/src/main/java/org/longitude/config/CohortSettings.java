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
    Map<String, ConditionRule> conditions,
    Comparison comparison) implements Serializable {

  /** The comparison's settings, with the defaults filled in when the section is left out. */
  public Comparison comparisonOrDefaults() {
    return comparison == null ? Comparison.DEFAULTS : comparison.withDefaults();
  }

  /**
   * Does maintenance extend durability: the landmark, the Cox fits, the weights and the
   * adjustment set (README, "Comparing maintenance with none"). Any key left out takes its
   * default.
   */
  public record Comparison(
      Integer landmarkDay,
      Integer minEventsPerTerm,
      Integer maxIterations,
      Double convergenceEpsilon,
      List<Double> weightTruncationPercentiles,
      List<String> covariates) implements Serializable {

    /** The covariates de-identification leaves for adjustment, all of them by default. */
    public static final List<String> COVARIATES = List.of("baseline_score", "age_at_index",
        "sex_female", "si_at_baseline", "initial_infusions");
    static final Comparison DEFAULTS =
        new Comparison(60, 10, 20, 1e-9, List.of(1.0, 99.0), COVARIATES);

    Comparison withDefaults() {
      return new Comparison(
          landmarkDay == null ? DEFAULTS.landmarkDay : landmarkDay,
          minEventsPerTerm == null ? DEFAULTS.minEventsPerTerm : minEventsPerTerm,
          maxIterations == null ? DEFAULTS.maxIterations : maxIterations,
          convergenceEpsilon == null ? DEFAULTS.convergenceEpsilon : convergenceEpsilon,
          weightTruncationPercentiles == null ? DEFAULTS.weightTruncationPercentiles
              : weightTruncationPercentiles,
          covariates == null ? DEFAULTS.covariates : covariates);
    }
  }

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
