package org.longitude.cohort.rules;

import java.io.Serializable;

/**
 * How a Cox model is fitted and when it is refused.
 *
 * @param maxIterations Newton–Raphson iterations before giving up (R: {@code iter.max}, 20)
 * @param epsilon convergence: relative change of the log partial likelihood (R: {@code eps},
 *     1e-9); a coefficient whose last step was still large against it is taken as infinite
 *     (R's {@code toler.inf}, the square root of epsilon)
 * @param minEventsPerTerm fewer events than this per term: not estimable (default 10)
 */
public record CoxSettings(int maxIterations, double epsilon, int minEventsPerTerm)
    implements Serializable {

  public CoxSettings {
    if (maxIterations < 1) {
      throw new IllegalArgumentException("maxIterations must be >= 1");
    }
    if (!(epsilon > 0 && epsilon < 1)) {
      throw new IllegalArgumentException("epsilon must be in (0, 1)");
    }
    if (minEventsPerTerm < 0) {
      throw new IllegalArgumentException("minEventsPerTerm must be >= 0");
    }
  }

  /** R's defaults, and 10 events per term. */
  public static CoxSettings defaults() {
    return new CoxSettings(20, 1e-9, 10);
  }

  double infiniteTolerance() {
    return Math.sqrt(epsilon);
  }
}
