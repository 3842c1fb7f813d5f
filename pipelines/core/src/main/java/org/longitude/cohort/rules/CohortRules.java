package org.longitude.cohort.rules;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * Study-wide rule configuration. Days are days since index (first administration = day 0).
 *
 * @param baselineWindowStartDay first day whose score may serve as baseline (default -30)
 * @param baselineWindowEndDay last day whose score may serve as baseline (default 0); the latest
 *     score in the window is the baseline
 * @param firstFollowUpDay first day counted as follow-up (default 1); must be after the baseline
 *     window
 * @param initialCourseEndDay administrations up to this day are the initial course, later ones
 *     are boosters (default 35)
 * @param courseOutcomeWindowStartDay first day of the end-of-course outcome window (default 21)
 * @param courseOutcomeWindowEndDay last day of the end-of-course outcome window (default 35)
 * @param relapseConsecutiveScores consecutive failing scores that make a relapse (default 2)
 * @param siResolutionDays days D at which suicidal-ideation resolution is reported (default 3, 7,
 *     28)
 * @param landmarkMonths landmark months (default 3, 6, 12, 24, 36)
 * @param daysPerMonth days in a month for landmark days (default 30.4375)
 * @param confidenceZ two-sided normal quantile for all intervals (default 1.959963984540054, 95%)
 * @param measures the measures analysed, with unique names
 */
public record CohortRules(
    int baselineWindowStartDay,
    int baselineWindowEndDay,
    int firstFollowUpDay,
    int initialCourseEndDay,
    int courseOutcomeWindowStartDay,
    int courseOutcomeWindowEndDay,
    int relapseConsecutiveScores,
    List<Integer> siResolutionDays,
    List<Integer> landmarkMonths,
    double daysPerMonth,
    double confidenceZ,
    List<MeasureRule> measures)
    implements Serializable {

  public CohortRules {
    siResolutionDays = List.copyOf(siResolutionDays);
    landmarkMonths = List.copyOf(landmarkMonths);
    measures = List.copyOf(measures);
    require(baselineWindowStartDay <= baselineWindowEndDay, "baseline window is empty");
    require(firstFollowUpDay > baselineWindowEndDay, "follow-up must start after baseline window");
    require(
        courseOutcomeWindowStartDay <= courseOutcomeWindowEndDay, "course window is empty");
    require(
        courseOutcomeWindowStartDay >= firstFollowUpDay, "course window must be in follow-up");
    require(relapseConsecutiveScores >= 1, "relapseConsecutiveScores must be >= 1");
    require(daysPerMonth > 0 && Double.isFinite(daysPerMonth), "daysPerMonth must be > 0");
    require(confidenceZ > 0 && Double.isFinite(confidenceZ), "confidenceZ must be > 0");
    for (int d : siResolutionDays) {
      require(d >= firstFollowUpDay, "SI resolution day before follow-up: " + d);
    }
    for (int m : landmarkMonths) {
      require(m > 0, "landmark month must be > 0: " + m);
    }
    require(
        measures.stream().map(MeasureRule::name).distinct().count() == measures.size(),
        "measure names must be unique");
  }

  /** The protocol defaults, with PHQ-9, GAD-7 and PCL-5. */
  public static CohortRules defaults() {
    return new CohortRules(
        -30,
        0,
        1,
        35,
        21,
        35,
        2,
        List.of(3, 7, 28),
        List.of(3, 6, 12, 24, 36),
        30.4375,
        1.959963984540054,
        List.of(MeasureRule.phq9(), MeasureRule.gad7(), MeasureRule.pcl5()));
  }

  /** The rule for measure {@code name}. */
  public MeasureRule measure(String name) {
    Objects.requireNonNull(name, "name");
    return measures.stream()
        .filter(m -> m.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown measure: " + name));
  }

  /** Landmark day for {@code month}: {@code round(month * daysPerMonth)}, halves rounded up. */
  public int landmarkDay(int month) {
    return (int) Math.round(month * daysPerMonth);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
