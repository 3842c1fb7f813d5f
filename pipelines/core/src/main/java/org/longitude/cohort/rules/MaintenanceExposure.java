package org.longitude.cohort.rules;

import java.util.List;

/**
 * A responder's follow-up on the durability time scale (days since first response) with
 * maintenance as it happens in time: unexposed until the first booster that comes before the
 * relapse, exposed from then on. Boosters after the relapse are not maintenance, and a booster
 * before the first response (after the initial course) counts from day 0.
 *
 * <p><em>Example</em>: first response on day 14, boosters on days 50 and 78, relapse on day 100:
 * follow-up 86 days, maintenance from day 36; intervals (0, 36] unexposed and (36, 86] exposed
 * ending in the event. At a landmark of 60 days the participant is relapse-free and followed, and
 * maintenance started by then: group {@code maintenance}, entering the curve at 60.
 *
 * @param followUp days from first response to relapse or to the last score (censoring)
 * @param relapsed whether follow-up ended in a relapse
 * @param maintenanceStart day (since first response) maintenance starts, at most 0 when it
 *     started before the response; {@code null} when it never starts before the relapse
 */
public record MaintenanceExposure(int followUp, boolean relapsed, Integer maintenanceStart) {

  /** One stretch of follow-up with constant exposure, R's {@code (start, stop]}. */
  public record Interval(int start, int stop, boolean event, boolean maintenance) {}

  /** The exposure of a responder; {@code null} for anyone else. */
  public static MaintenanceExposure of(MeasureOutcome o) {
    if (!o.eligible() || !o.responder()) {
      return null;
    }
    Integer start = o.maintenanceStartDay() == null ? null
        : o.maintenanceStartDay() - o.firstResponseDay();
    return new MaintenanceExposure(o.durabilityDays(), o.relapsed(), start);
  }

  /**
   * Counting-process intervals; none when follow-up is 0 days (a responder censored on the day
   * of response is at risk at no event time).
   */
  public List<Interval> intervals() {
    if (followUp == 0) {
      return List.of();
    }
    if (maintenanceStart == null || maintenanceStart >= followUp) {
      return List.of(new Interval(0, followUp, relapsed, false));
    }
    if (maintenanceStart <= 0) {
      return List.of(new Interval(0, followUp, relapsed, true));
    }
    return List.of(new Interval(0, maintenanceStart, false, false),
        new Interval(maintenanceStart, followUp, relapsed, true));
  }

  /**
   * The landmark group at {@code landmarkDay} days after first response; {@code null} when the
   * participant relapsed by then or was no longer followed (counted, not compared).
   */
  public LandmarkGroup groupAt(int landmarkDay) {
    boolean relapseFreeAndFollowed = relapsed ? followUp > landmarkDay : followUp >= landmarkDay;
    if (!relapseFreeAndFollowed) {
      return null;
    }
    return maintenanceStart != null && maintenanceStart <= landmarkDay
        ? LandmarkGroup.MAINTENANCE : LandmarkGroup.NONE;
  }
}
