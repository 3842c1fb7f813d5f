package org.longitude.cohort.rules;

import java.io.Serializable;

/**
 * A proportion with its Wilson score interval, e.g. the share of participants responding at the
 * end of the initial course.
 *
 * <p>With {@code n = 0} there is no information: the estimate is {@code NaN} and the interval is
 * the whole of [0, 1].
 *
 * @param successes number of successes
 * @param n number of trials
 * @param estimate {@code successes / n}
 * @param lower lower bound of the Wilson interval
 * @param upper upper bound of the Wilson interval
 */
public record Proportion(long successes, long n, double estimate, double lower, double upper)
    implements Serializable {

  /** Wilson score interval for {@code successes / n} with normal quantile {@code z}. */
  public static Proportion wilson(long successes, long n, double z) {
    if (n < 0 || successes < 0 || successes > n) {
      throw new IllegalArgumentException("need 0 <= successes <= n: " + successes + "/" + n);
    }
    if (!(z > 0) || Double.isInfinite(z)) {
      throw new IllegalArgumentException("z must be positive and finite: " + z);
    }
    if (n == 0) {
      return new Proportion(0, 0, Double.NaN, 0, 1);
    }
    double p = (double) successes / n;
    double z2 = z * z;
    double denom = 1 + z2 / n;
    double centre = (p + z2 / (2.0 * n)) / denom;
    double half = z / denom * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
    // The bounds are exactly 0 and 1 at the extremes; avoid rounding residue there.
    double lower = successes == 0 ? 0 : Math.max(0, centre - half);
    double upper = successes == n ? 1 : Math.min(1, centre + half);
    return new Proportion(successes, n, p, lower, upper);
  }
}
