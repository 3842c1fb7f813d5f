package org.longitude.cohort.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Maintenance as it happens in time, and the landmark groups: worked examples. */
class MaintenanceExposureTest {
  private static final OutcomeRules OUTCOMES = OutcomeRules.of(CohortRules.defaults());
  private static final MeasureRule PHQ9 = CohortRules.defaults().measure("PHQ-9");
  private static final List<Integer> COURSE = List.of(0, 3, 7, 10, 14, 21);

  private static Score s(int day, int value) {
    return new Score(day, value, null);
  }

  private static List<Integer> course(Integer... boosters) {
    List<Integer> days = new ArrayList<>(COURSE);
    days.addAll(List.of(boosters));
    return days;
  }

  /**
   * Baseline 20; response on day 14 (8); relapse from day 100 (14, 15); boosters on days 50
   * and 78. Durability 86 days; maintenance from day 50 - 14 = 36 on.
   */
  @Test
  void boosterBeforeTheRelapseStartsMaintenance() {
    MeasureOutcome o = OUTCOMES.evaluate(PHQ9, course(50, 78),
        List.of(s(0, 20), s(14, 8), s(42, 7), s(70, 6), s(100, 14), s(128, 15)));
    assertEquals(100, o.relapseDay());
    assertEquals(50, o.maintenanceStartDay());
    MaintenanceExposure e = MaintenanceExposure.of(o);
    assertEquals(new MaintenanceExposure(86, true, 36), e);
    assertEquals(List.of(new MaintenanceExposure.Interval(0, 36, false, false),
        new MaintenanceExposure.Interval(36, 86, true, true)), e.intervals());
    assertEquals(LandmarkGroup.MAINTENANCE, e.groupAt(60));
    assertEquals(LandmarkGroup.NONE, e.groupAt(35), "maintenance had not started by day 35");
  }

  /** The same participant with the booster after the relapse: never maintenance. */
  @Test
  void boostersAfterTheRelapseAreNotMaintenance() {
    MeasureOutcome o = OUTCOMES.evaluate(PHQ9, course(110, 130),
        List.of(s(0, 20), s(14, 8), s(42, 7), s(70, 6), s(100, 14), s(128, 15)));
    assertEquals(2, o.boosterCount());
    assertNull(o.maintenanceStartDay());
    MaintenanceExposure e = MaintenanceExposure.of(o);
    assertEquals(List.of(new MaintenanceExposure.Interval(0, 86, true, false)), e.intervals());
    // A booster on the relapse day itself is not before it either.
    assertNull(OUTCOMES.evaluate(PHQ9, course(100),
        List.of(s(0, 20), s(14, 8), s(100, 14), s(128, 15))).maintenanceStartDay());
  }

  /** A booster after the course but before the first response: exposed from day 0. */
  @Test
  void boosterBeforeTheResponseCountsFromTheStart() {
    MeasureOutcome o = OUTCOMES.evaluate(PHQ9, course(40),
        List.of(s(0, 20), s(28, 12), s(56, 9), s(84, 7), s(112, 6)));
    assertEquals(56, o.firstResponseDay());
    MaintenanceExposure e = MaintenanceExposure.of(o);
    assertEquals(-16, e.maintenanceStart());
    assertEquals(List.of(new MaintenanceExposure.Interval(0, 56, false, true)), e.intervals());
  }

  @Test
  void landmarkBoundaries() {
    int l = 60;
    assertEquals(LandmarkGroup.NONE, new MaintenanceExposure(60, false, null).groupAt(l),
        "censored on the landmark day: still followed then");
    assertNull(new MaintenanceExposure(59, false, null).groupAt(l), "lost before the landmark");
    assertNull(new MaintenanceExposure(60, true, null).groupAt(l), "relapsed on the landmark");
    assertEquals(LandmarkGroup.NONE, new MaintenanceExposure(61, true, null).groupAt(l));
    assertEquals(LandmarkGroup.MAINTENANCE, new MaintenanceExposure(200, true, 60).groupAt(l),
        "a booster on the landmark day counts");
    assertEquals(LandmarkGroup.NONE, new MaintenanceExposure(200, true, 61).groupAt(l),
        "a booster the day after does not: the group is fixed at the landmark");
  }

  /** A responder censored on the day of response is at risk at no event time: no rows. */
  @Test
  void noFollowUpNoIntervals() {
    assertEquals(List.of(), new MaintenanceExposure(0, false, null).intervals());
    assertEquals(List.of(new MaintenanceExposure.Interval(0, 30, false, false)),
        new MaintenanceExposure(30, false, 30).intervals(), "maintenance at the last day");
  }
}
