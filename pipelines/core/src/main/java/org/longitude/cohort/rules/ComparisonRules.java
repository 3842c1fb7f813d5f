package org.longitude.cohort.rules;

import java.io.Serializable;
import java.util.List;
import java.util.Set;
import org.longitude.config.CohortSettings;

/**
 * Settings of the maintenance comparison: the landmark, the Cox fits, the weights and the
 * covariates adjusted for.
 *
 * @param landmarkDay days after first response at which the landmark groups are fixed
 * @param cox how the Cox models are fitted and when they are refused
 * @param weightPercentiles the stabilised weights are truncated at these two percentiles
 * @param covariates the adjustment set, from {@link #COVARIATES}
 */
public record ComparisonRules(int landmarkDay, CoxSettings cox, List<Double> weightPercentiles,
    List<String> covariates) implements Serializable {

  public static final String MAINTENANCE = "maintenance";
  public static final String BASELINE_SCORE = "baseline_score";
  public static final String AGE_AT_INDEX = "age_at_index";
  public static final String SEX_FEMALE = "sex_female";
  public static final String SI_AT_BASELINE = "si_at_baseline";
  public static final String INITIAL_INFUSIONS = "initial_infusions";
  /** The covariates a study may adjust for: the names its settings accept. */
  public static final Set<String> COVARIATES =
      Set.copyOf(CohortSettings.Comparison.COVARIATES);

  public ComparisonRules {
    weightPercentiles = List.copyOf(weightPercentiles);
    covariates = List.copyOf(covariates);
    if (landmarkDay < 1) {
      throw new IllegalArgumentException("landmark day must be >= 1");
    }
    if (weightPercentiles.size() != 2 || !(0 <= weightPercentiles.get(0)
        && weightPercentiles.get(0) < weightPercentiles.get(1)
        && weightPercentiles.get(1) <= 100)) {
      throw new IllegalArgumentException("weight percentiles: two numbers, 0 <= lower < upper"
          + " <= 100");
    }
    for (String c : covariates) {
      if (!COVARIATES.contains(c)) {
        throw new IllegalArgumentException("unknown covariate " + c + "; known: "
            + COVARIATES.stream().sorted().toList());
      }
    }
  }

  /** Landmark 60 days, R's fitting defaults, 10 events per term, weights cut at 1 and 99. */
  public static ComparisonRules defaults() {
    return new ComparisonRules(60, CoxSettings.defaults(), List.of(1.0, 99.0),
        CohortSettings.Comparison.COVARIATES);
  }
}
