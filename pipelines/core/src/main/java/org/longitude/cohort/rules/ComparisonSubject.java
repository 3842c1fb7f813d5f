package org.longitude.cohort.rules;

import java.util.List;

/**
 * One responder in the maintenance comparison of a condition.
 *
 * @param participantId pseudonymous id: the order subjects are analysed in
 * @param clinic the clinic, whose baseline hazard is a stratum of the adjusted model
 * @param intervals follow-up with maintenance as it happens ({@link MaintenanceExposure})
 * @param group landmark group, {@code null} when not in the landmark comparison
 * @param covariates the adjustment set's values, in the comparison's term order; NaN when
 *     missing (the subject then drops out of the adjusted analyses only)
 */
public record ComparisonSubject(String participantId, String clinic, List<MaintenanceExposure.Interval> intervals,
    LandmarkGroup group, double[] covariates) {

  public ComparisonSubject {
    intervals = List.copyOf(intervals);
  }

  /** Days from first response to relapse or censoring. */
  public int followUp() {
    return intervals.get(intervals.size() - 1).stop();
  }

  public boolean relapsed() {
    return intervals.get(intervals.size() - 1).event();
  }

  boolean complete() {
    for (double c : covariates) {
      if (Double.isNaN(c)) {
        return false;
      }
    }
    return true;
  }
}
