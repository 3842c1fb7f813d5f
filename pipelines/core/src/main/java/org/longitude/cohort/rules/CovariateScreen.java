package org.longitude.cohort.rules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Which covariates a model can use, and why the others are left out: a covariate with one value
 * only ({@code NO_VARIATION}), or one whose less common values hold too little information
 * ({@code SPARSE}: for a Cox model, fewer relapses than the minimum per term away from its most
 * common value; for the propensity model, a group with nobody away from it). Such a covariate
 * would otherwise make the whole model singular or drive a coefficient to infinity — e.g. a
 * single participant with five initial infusions instead of six, censored.
 *
 * @param kept indices of the covariates used, in order
 * @param leftOut the others, with the reason
 */
record CovariateScreen(List<Integer> kept, Map<String, String> leftOut) {

  static final String NO_VARIATION = "NO_VARIATION";
  static final String SPARSE = "SPARSE";

  /** For a Cox model: enough relapses away from each covariate's most common value. */
  static CovariateScreen forCox(List<ComparisonSubject> subjects, List<String> covariates,
      int minEvents) {
    return screen(subjects, covariates, (away) ->
        away.stream().filter(ComparisonSubject::relapsed).count() >= minEvents);
  }

  /** For the propensity model: each group has someone away from the most common value. */
  static CovariateScreen forPropensity(List<ComparisonSubject> subjects,
      List<String> covariates) {
    return screen(subjects, covariates, (away) ->
        away.stream().anyMatch(s -> s.group() == LandmarkGroup.MAINTENANCE)
            && away.stream().anyMatch(s -> s.group() == LandmarkGroup.NONE));
  }

  /** The covariates with more than one value (those whose balance can be shown). */
  static CovariateScreen varying(List<ComparisonSubject> subjects, List<String> covariates) {
    return screen(subjects, covariates, away -> true);
  }

  private static CovariateScreen screen(List<ComparisonSubject> subjects,
      List<String> covariates, Predicate<List<ComparisonSubject>> informative) {
    List<Integer> kept = new ArrayList<>();
    Map<String, String> leftOut = new LinkedHashMap<>();
    for (int c = 0; c < covariates.size(); c++) {
      final int column = c;
      TreeMap<Double, Integer> counts = new TreeMap<>();
      subjects.forEach(s -> counts.merge(s.covariates()[column], 1, Integer::sum));
      if (counts.size() < 2) {
        leftOut.put(covariates.get(c), NO_VARIATION);
        continue;
      }
      double mode = counts.entrySet().stream()
          .reduce((a, b) -> b.getValue() > a.getValue() ? b : a).orElseThrow().getKey();
      List<ComparisonSubject> away =
          subjects.stream().filter(s -> s.covariates()[column] != mode).toList();
      if (informative.test(away)) {
        kept.add(c);
      } else {
        leftOut.put(covariates.get(c), SPARSE);
      }
    }
    return new CovariateScreen(kept, leftOut);
  }

  /** The kept covariates' names. */
  List<String> names(List<String> covariates) {
    return kept.stream().map(covariates::get).toList();
  }

  /** A subject's kept covariate values. */
  double[] values(ComparisonSubject s) {
    return kept.stream().mapToDouble(c -> s.covariates()[c]).toArray();
  }
}
