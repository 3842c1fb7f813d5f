package org.longitude.demo;

/**
 * A synthetic study whose truth about maintenance is known, for checking the comparison: a
 * responder's relapse hazard is constant from the end of the course, higher for a higher
 * baseline score, and multiplied by {@code hazardRatio} from the first booster on; more severe
 * patients are more likely to start boosters (so severity confounds a naive comparison), and
 * boosters start at a random time after the course and stop at the relapse. Visits are every
 * two weeks for at most {@link #MAX_FOLLOW_UP} days, so relapses are seen soon after they
 * happen; scores never cross the response line by chance (no responder by noise alone).
 *
 * @param hazardRatio the true effect of maintenance on the relapse hazard (1: none)
 */
public record BoosterScenario(double hazardRatio) {

  /** Relapse hazard per day at the average baseline score (a median of ~125 days). */
  static final double BASE_HAZARD = 1 / 180.0;
  /** Log hazard ratio per standard deviation of baseline PHQ-9 (severity drives relapse). */
  static final double SEVERITY_HAZARD = 0.7;
  /** Log odds of starting boosters, and its rise per standard deviation of severity. */
  static final double BOOSTER_LOG_ODDS = -0.2;
  static final double SEVERITY_BOOSTER_LOG_ODDS = 1.2;
  /** Mean delay from the course's end to the first booster, days. */
  static final double MEAN_BOOSTER_DELAY = 40;
  static final int VISIT_EVERY_DAYS = 14;
  static final int MAX_FOLLOW_UP = 540;

  public BoosterScenario {
    if (!(hazardRatio > 0)) {
      throw new IllegalArgumentException("hazard ratio must be > 0");
    }
  }
}
