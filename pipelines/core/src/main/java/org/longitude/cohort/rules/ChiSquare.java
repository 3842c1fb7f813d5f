package org.longitude.cohort.rules;

import org.apache.commons.math3.special.Erf;
import org.apache.commons.math3.special.Gamma;

/** Tail probabilities computed directly, so that small p-values keep their digits. */
final class ChiSquare {
  private ChiSquare() {}

  /** P(X &gt; x) for X chi-squared with {@code df} degrees of freedom. */
  static double upperTail(double x, int df) {
    if (!(x > 0)) {
      return 1;
    }
    return Gamma.regularizedGammaQ(df / 2.0, x / 2);
  }

  /** Two-sided p-value of a standard normal statistic: P(|Z| &gt; |z|). */
  static double twoSidedNormal(double z) {
    return Erf.erfc(Math.abs(z) / Math.sqrt(2));
  }
}
