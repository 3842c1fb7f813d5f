package org.longitude.cohort.rules;

import java.io.Serializable;
import java.util.Objects;

/**
 * Thresholds for one outcome measure (PHQ-9, GAD-7, PCL-5, ...).
 *
 * @param name measure code as it appears in the data, e.g. {@code "PHQ-9"}
 * @param eligibilityThreshold baseline must be at least this to be eligible; a failing follow-up
 *     score must also be at least this to count toward relapse
 * @param response rule that makes a follow-up score a response
 * @param remissionThreshold a score strictly below this is remission
 * @param tracksSuicidalIdeation whether item 9 (suicidal ideation) is analysed for this measure
 */
public record MeasureRule(
    String name,
    double eligibilityThreshold,
    ResponseRule response,
    double remissionThreshold,
    boolean tracksSuicidalIdeation)
    implements Serializable {

  public MeasureRule {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(response, "response");
    if (!Double.isFinite(eligibilityThreshold) || !Double.isFinite(remissionThreshold)) {
      throw new IllegalArgumentException("thresholds must be finite for " + name);
    }
  }

  /** PHQ-9: eligible at 10, response at &lt;= 50% of baseline, remission below 5, item 9 tracked. */
  public static MeasureRule phq9() {
    return new MeasureRule("PHQ-9", 10, ResponseRule.relative(0.5), 5, true);
  }

  /** GAD-7: eligible at 10, response at &lt;= 50% of baseline, remission below 5. */
  public static MeasureRule gad7() {
    return new MeasureRule("GAD-7", 10, ResponseRule.relative(0.5), 5, false);
  }

  /** PCL-5: eligible at 33, response at &gt;= 10 points below baseline, remission below 33. */
  public static MeasureRule pcl5() {
    return new MeasureRule("PCL-5", 33, ResponseRule.absoluteDrop(10), 33, false);
  }

  /** Whether {@code score} is a response relative to {@code baseline}. */
  public boolean isResponse(double score, double baseline) {
    return response.isMet(score, baseline);
  }

  /** Whether {@code score} is a remission (strictly below the remission threshold). */
  public boolean isRemission(double score) {
    return score < remissionThreshold;
  }
}
