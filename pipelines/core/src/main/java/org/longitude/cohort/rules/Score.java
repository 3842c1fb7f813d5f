package org.longitude.cohort.rules;

import java.io.Serializable;

/**
 * One questionnaire total on one day.
 *
 * @param day day on the same integer axis as the administration days passed to {@link
 *     OutcomeRules} (days since index, or e.g. epoch days: the evaluator re-bases on the index)
 * @param value total score
 * @param item9 PHQ-9 item 9 (suicidal ideation, 0..3); {@code null} when not recorded or not PHQ-9
 */
public record Score(int day, double value, Integer item9) implements Serializable {

  public Score {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("score must be finite: " + value);
    }
    if (item9 != null && item9 < 0) {
      throw new IllegalArgumentException("item 9 must be >= 0: " + item9);
    }
  }

  /** A score without item 9. */
  public static Score of(int day, double value) {
    return new Score(day, value, null);
  }
}
