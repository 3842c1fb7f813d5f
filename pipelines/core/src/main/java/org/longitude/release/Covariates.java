package org.longitude.release;

import java.util.List;
import org.longitude.cohort.rules.ComparisonRules;

/**
 * What de-identification leaves of a participant to adjust for: the age is the released
 * (capped) age, never one computed from the birth date again.
 */
public record Covariates(int baselineScore, Integer ageAtIndex, String sex,
    Boolean siAtBaseline, int initialInfusions) {

  /** The values of {@code terms}, NaN where missing. */
  public double[] values(List<String> terms) {
    double[] v = new double[terms.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = switch (terms.get(i)) {
        case ComparisonRules.BASELINE_SCORE -> baselineScore;
        case ComparisonRules.AGE_AT_INDEX -> ageAtIndex == null ? Double.NaN : ageAtIndex;
        // Female against everyone else: another level alone would be too rare to adjust.
        case ComparisonRules.SEX_FEMALE -> sex == null ? Double.NaN
            : "female".equals(sex) ? 1 : 0;
        case ComparisonRules.SI_AT_BASELINE ->
            siAtBaseline == null ? Double.NaN : siAtBaseline ? 1 : 0;
        case ComparisonRules.INITIAL_INFUSIONS -> initialInfusions;
        default -> throw new IllegalArgumentException("unknown covariate " + terms.get(i));
      };
    }
    return v;
  }
}
