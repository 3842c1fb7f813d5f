package org.longitude.cohort.rules;

import java.io.Serializable;

/**
 * How a follow-up score is judged against the participant's baseline to count as a response.
 *
 * <p>Two forms exist: {@link Relative} (score at most a fraction of baseline, e.g. 50% for PHQ-9)
 * and {@link AbsoluteDrop} (score at least a number of points below baseline, e.g. 10 for PCL-5).
 * Both comparisons are inclusive.
 */
public sealed interface ResponseRule extends Serializable
    permits ResponseRule.Relative, ResponseRule.AbsoluteDrop {

  /** Whether {@code score} meets the rule given {@code baseline}. */
  boolean isMet(double score, double baseline);

  /** Response when {@code score <= fraction * baseline}. */
  static ResponseRule relative(double fraction) {
    return new Relative(fraction);
  }

  /** Response when {@code baseline - score >= points}. */
  static ResponseRule absoluteDrop(double points) {
    return new AbsoluteDrop(points);
  }

  /** Response when the score is at most {@code fraction} of baseline. */
  record Relative(double fraction) implements ResponseRule {
    public Relative {
      if (!(fraction > 0 && fraction < 1)) {
        throw new IllegalArgumentException("fraction must be in (0, 1): " + fraction);
      }
    }

    @Override
    public boolean isMet(double score, double baseline) {
      return score <= fraction * baseline;
    }
  }

  /** Response when the score is at least {@code points} below baseline. */
  record AbsoluteDrop(double points) implements ResponseRule {
    public AbsoluteDrop {
      if (!(points > 0) || Double.isInfinite(points)) {
        throw new IllegalArgumentException("points must be positive and finite: " + points);
      }
    }

    @Override
    public boolean isMet(double score, double baseline) {
      return baseline - score >= points;
    }
  }
}
