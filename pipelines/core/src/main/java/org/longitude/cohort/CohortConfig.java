package org.longitude.cohort;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.longitude.cohort.rules.CohortRules;
import org.longitude.cohort.rules.ComparisonRules;
import org.longitude.cohort.rules.CoxSettings;
import org.longitude.cohort.rules.MeasureRule;
import org.longitude.cohort.rules.ResponseRule;
import org.longitude.config.CohortSettings;
import org.longitude.config.MeasureCatalog;

/**
 * The cohort settings of a study turned into rule objects: which condition uses which
 * measure, and the {@link CohortRules} that evaluate them.
 */
public record CohortConfig(CohortRules rules, Map<String, CohortSettings.ConditionRule> conditions,
    Map<String, Integer> suicidalIdeationItem, ComparisonRules comparison)
    implements Serializable {

  public static CohortConfig from(CohortSettings s, MeasureCatalog catalog) {
    List<MeasureRule> measures = new ArrayList<>();
    Map<String, Integer> siItems = new LinkedHashMap<>();
    s.conditions().forEach((condition, c) -> {
      ResponseRule response = c.response().rule().equals("relative")
          ? ResponseRule.relative(c.response().fraction())
          : ResponseRule.absoluteDrop(c.response().points());
      Integer si = catalog.measure(c.measure()).suicidalIdeationItem();
      measures.add(new MeasureRule(c.measure(), c.eligibilityMin(), response, c.remissionBelow(),
          si != null));
      if (si != null) {
        siItems.put(c.measure(), si);
      }
    });
    CohortRules rules = new CohortRules(s.baselineWindowDays().get(0),
        s.baselineWindowDays().get(1), s.baselineWindowDays().get(1) + 1, s.initialCourseEndDay(),
        s.courseOutcomeWindowDays().get(0), s.courseOutcomeWindowDays().get(1),
        s.relapseConsecutiveScores(), s.siResolutionDays(), s.landmarkMonths(), s.daysPerMonth(),
        1.959963984540054, measures);
    CohortSettings.Comparison c = s.comparisonOrDefaults();
    ComparisonRules comparison = new ComparisonRules(c.landmarkDay(),
        new CoxSettings(c.maxIterations(), c.convergenceEpsilon(), c.minEventsPerTerm()),
        c.weightTruncationPercentiles(), c.covariates());
    return new CohortConfig(rules, new LinkedHashMap<>(s.conditions()), siItems, comparison);
  }
}
