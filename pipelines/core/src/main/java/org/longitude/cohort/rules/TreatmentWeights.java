package org.longitude.cohort.rules;

import org.apache.commons.math3.stat.descriptive.rank.Percentile;

/**
 * Stabilised inverse-probability-of-treatment weights: {@code P(A=a) / P(A=a | X)}, the marginal
 * share of the subject's own group over its propensity, truncated at two percentiles of all
 * weights (R's default quantile definition, type 7) so that a few near-certain propensities do
 * not carry the curves.
 */
public final class TreatmentWeights {
  private TreatmentWeights() {}

  /**
   * @param treated each subject's group
   * @param propensity each subject's fitted P(treated | X)
   * @param lowerPercentile e.g. 1: weights below this percentile are raised to it
   * @param upperPercentile e.g. 99: weights above are lowered to it
   */
  public static double[] stabilised(boolean[] treated, double[] propensity,
      double lowerPercentile, double upperPercentile) {
    if (!(0 <= lowerPercentile && lowerPercentile < upperPercentile && upperPercentile <= 100)) {
      throw new IllegalArgumentException("percentiles must satisfy 0 <= lower < upper <= 100");
    }
    int n = treated.length;
    double share = 0;
    for (boolean t : treated) {
      share += t ? 1.0 / n : 0;
    }
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      w[i] = treated[i] ? share / propensity[i] : (1 - share) / (1 - propensity[i]);
    }
    Percentile r7 = new Percentile().withEstimationType(Percentile.EstimationType.R_7);
    r7.setData(w);
    double lo = lowerPercentile == 0 ? Double.NEGATIVE_INFINITY : r7.evaluate(lowerPercentile);
    double hi = upperPercentile == 100 ? Double.POSITIVE_INFINITY : r7.evaluate(upperPercentile);
    for (int i = 0; i < n; i++) {
      w[i] = Math.min(Math.max(w[i], lo), hi);
    }
    return w;
  }
}
