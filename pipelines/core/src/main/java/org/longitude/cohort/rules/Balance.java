package org.longitude.cohort.rules;

/**
 * Covariate balance between two groups: the standardised mean difference, {@code (mean_1 -
 * mean_0) / sqrt((var_1 + var_0) / 2)}, the means weighted or not and the denominator always the
 * unweighted pooled standard deviation, so that weighting changes only the numerator (Austin
 * 2009; the default of R's {@code cobalt}). |SMD| below 0.1 is the usual mark of balance.
 */
public final class Balance {
  private Balance() {}

  /** Weighted mean of x over one group. */
  public static double mean(double[] x, boolean[] treated, boolean group, double[] weights) {
    double sum = 0;
    double total = 0;
    for (int i = 0; i < x.length; i++) {
      if (treated[i] == group) {
        sum += weights[i] * x[i];
        total += weights[i];
      }
    }
    return sum / total;
  }

  /** The standardised mean difference of x, treated minus untreated, under the weights. */
  public static double standardisedDifference(double[] x, boolean[] treated, double[] weights) {
    double pooled = Math.sqrt((variance(x, treated, true) + variance(x, treated, false)) / 2);
    return (mean(x, treated, true, weights) - mean(x, treated, false, weights)) / pooled;
  }

  private static double variance(double[] x, boolean[] treated, boolean group) {
    double sum = 0;
    double sumSq = 0;
    int n = 0;
    for (int i = 0; i < x.length; i++) {
      if (treated[i] == group) {
        sum += x[i];
        n++;
      }
    }
    double m = sum / n;
    for (int i = 0; i < x.length; i++) {
      if (treated[i] == group) {
        sumSq += (x[i] - m) * (x[i] - m);
      }
    }
    return sumSq / (n - 1);
  }
}
