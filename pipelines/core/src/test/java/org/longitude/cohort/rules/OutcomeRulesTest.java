package org.longitude.cohort.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Hand-worked examples of the per-participant rules, with the default configuration. */
class OutcomeRulesTest {

  private static final CohortRules RULES = CohortRules.defaults();
  private static final OutcomeRules OUTCOMES = OutcomeRules.of(RULES);
  private static final MeasureRule PHQ9 = RULES.measure("PHQ-9");
  private static final MeasureRule GAD7 = RULES.measure("GAD-7");
  private static final MeasureRule PCL5 = RULES.measure("PCL-5");
  private static final List<Integer> COURSE = List.of(0, 3, 7, 10, 14, 21);

  private static Score s(int day, double value) {
    return Score.of(day, value);
  }

  private static Score si(int day, double value, int item9) {
    return new Score(day, value, item9);
  }

  @Test
  void responderWithRelapse() {
    // Baseline = latest in -30..0 = 20 on day 0; response means <= 10, remission < 5.
    // Day 7: 12 no. Day 14: 9 first response. Day 28: 4 first remission. Day 35: 6 responds.
    // Day 63: 12 fails and >= 10 (run starts). Day 91: 14 fails and >= 10: relapse on day 63.
    List<Score> scores =
        List.of(s(-7, 18), s(0, 20), s(7, 12), s(14, 9), s(28, 4), s(35, 6), s(63, 12),
            s(91, 14), s(120, 8));
    MeasureOutcome o = OUTCOMES.evaluate(PHQ9, COURSE, scores);

    assertTrue(o.eligible());
    assertEquals(0, o.baselineDay());
    assertEquals(20.0, o.baselineScore());
    assertEquals(14, o.firstResponseDay());
    assertEquals(28, o.firstRemissionDay());
    assertEquals(63, o.relapseDay());
    assertEquals(63 - 14, o.durabilityDays());
    assertTrue(o.relapsed());
    assertEquals(120, o.lastScoreDay());
    // Course outcome: latest score in 21..35 is day 35 = 6: response, not remission.
    assertEquals(Boolean.TRUE, o.courseResponse());
    assertEquals(Boolean.FALSE, o.courseRemission());
    assertNull(o.maintenanceStartDay());
    assertEquals(0, o.boosterCount());
    assertNull(o.siAtBaseline());
    assertTrue(o.siResolvedBy().isEmpty());
    assertEquals(LandmarkStatus.RELAPSED, o.landmarks().get(3));
    assertEquals(LandmarkStatus.RELAPSED, OutcomeRules.landmarkStatus(o, 63));
    assertEquals(LandmarkStatus.RELAPSE_FREE, OutcomeRules.landmarkStatus(o, 62));
    assertEquals(LandmarkStatus.NOT_YET_RESPONDED, OutcomeRules.landmarkStatus(o, 13));
  }

  @Test
  void singleFailingScoreAtEndIsCensoredNotRelapse() {
    // Baseline 16 (response <= 8). Day 14: 7 responds; day 28: 6; day 56: 15 fails, but no
    // second failing score follows: censored at day 56, durability 56 - 14 = 42.
    List<Score> scores = List.of(s(0, 16), s(14, 7), s(28, 6), s(56, 15));
    MeasureOutcome o = OUTCOMES.evaluate(PHQ9, COURSE, scores);

    assertEquals(14, o.firstResponseDay());
    assertNull(o.relapseDay());
    assertFalse(o.relapsed());
    assertEquals(42, o.durabilityDays());
    assertEquals(56, o.lastScoreDay());
    assertNull(o.firstRemissionDay());
    // Landmark 3 months = day 91: responded, no relapse, last score 56 < 91.
    assertEquals(LandmarkStatus.LOST, o.landmarks().get(3));
  }

  @Test
  void failingScoresBelowEligibilityThresholdBreakTheRun() {
    // Baseline 14: response <= 7. Day 28: 9 fails but < 10, so it does not count.
    // Day 42: 11 starts a run, day 56: 8 (< 10) breaks it, day 70: 12 is alone at the end.
    List<Score> scores = List.of(s(0, 14), s(14, 6), s(28, 9), s(42, 11), s(56, 8), s(70, 12));
    MeasureOutcome o = OUTCOMES.evaluate(PHQ9, COURSE, scores);

    assertEquals(14, o.firstResponseDay());
    assertNull(o.relapseDay());
    assertEquals(70 - 14, o.durabilityDays());
  }

  @Test
  void relapseThenReResponseCountsFirstRelapseOnly() {
    // Baseline 20 on day -3. Day 7: 10 (= 50%, inclusive) first response.
    // Days 14, 21: 15, 16 fail: relapse on day 14. Day 28: 5 re-responds, day 42: 4 remission.
    // Days 56, 70: 14, 18 would be a second relapse: ignored; durability ends at day 14.
    List<Score> scores =
        List.of(s(-3, 20), s(7, 10), s(14, 15), s(21, 16), s(28, 5), s(42, 4), s(56, 14),
            s(70, 18));
    MeasureOutcome o = OUTCOMES.evaluate(PHQ9, COURSE, scores);

    assertEquals(-3, o.baselineDay());
    assertEquals(7, o.firstResponseDay());
    assertEquals(14, o.relapseDay());
    assertEquals(7, o.durabilityDays());
    assertEquals(42, o.firstRemissionDay());
    // Latest in 21..35 is day 28 = 5: response; 5 is not < 5, so no remission.
    assertEquals(Boolean.TRUE, o.courseResponse());
    assertEquals(Boolean.FALSE, o.courseRemission());
  }

  @Test
  void sameDayScoresCollapseToTheWorstRegardlessOfOrder() {
    // Day 0 has 16 and 22: baseline is the worse, 22 (response <= 11).
    // Day 14 has 10 and 12: worse is 12, no response. Day 21: 11 is the first response.
    List<Score> scores =
        new ArrayList<>(
            List.of(s(-2, 18), s(0, 16), s(0, 22), s(14, 10), s(14, 12), s(21, 11), s(30, 9)));
    MeasureOutcome o = OUTCOMES.evaluate(PHQ9, COURSE, scores);

    assertEquals(0, o.baselineDay());
    assertEquals(22.0, o.baselineScore());
    assertEquals(21, o.firstResponseDay());
    for (long seed = 0; seed < 5; seed++) {
      Collections.shuffle(scores, new java.util.Random(seed));
      assertEquals(o, OUTCOMES.evaluate(PHQ9, COURSE, scores));
    }
  }

  @Test
  void exclusions() {
    MeasureOutcome noIndex = OUTCOMES.evaluate(PHQ9, List.of(), List.of(s(0, 20), s(7, 5)));
    assertEquals(ExclusionReason.NO_INDEX, noIndex.exclusion());
    assertNull(noIndex.maintenanceStartDay());

    // Day -31 is outside the baseline window.
    MeasureOutcome noBaseline = OUTCOMES.evaluate(PHQ9, COURSE, List.of(s(-31, 20), s(7, 5)));
    assertEquals(ExclusionReason.NO_BASELINE, noBaseline.exclusion());
    assertNull(noBaseline.baselineDay());
    assertNull(noBaseline.firstResponseDay());
    assertNull(noBaseline.durabilityDays());
    assertTrue(noBaseline.landmarks().isEmpty());
    assertNull(OutcomeRules.landmarkStatus(noBaseline, 91));

    // Day 1 is follow-up, not baseline: the baseline is 8 on day -5.
    MeasureOutcome below = OUTCOMES.evaluate(PHQ9, COURSE, List.of(s(-5, 8), s(1, 20)));
    assertEquals(ExclusionReason.BELOW_THRESHOLD, below.exclusion());
    assertEquals(8.0, below.baselineScore());

    MeasureOutcome noFollowUp = OUTCOMES.evaluate(PHQ9, COURSE, List.of(s(-5, 15), s(0, 12)));
    assertEquals(ExclusionReason.NO_FOLLOW_UP, noFollowUp.exclusion());
    assertEquals(12.0, noFollowUp.baselineScore());
    assertFalse(noFollowUp.eligible());
  }

  @Test
  void baselineWindowEdges() {
    // -31 is ignored, -30 counts.
    MeasureOutcome a = OUTCOMES.evaluate(PHQ9, COURSE, List.of(s(-31, 25), s(-30, 12), s(7, 3)));
    assertEquals(-30, a.baselineDay());
    assertEquals(12.0, a.baselineScore());
    // Day 0 counts and is the latest.
    MeasureOutcome b = OUTCOMES.evaluate(PHQ9, COURSE, List.of(s(-10, 8), s(0, 15), s(7, 3)));
    assertEquals(0, b.baselineDay());
    assertTrue(b.eligible());
    assertEquals(7, b.firstResponseDay());
  }

  @Test
  void pcl5AbsoluteDropEdge() {
    // Baseline 45: response needs >= 10 points below, i.e. <= 35. Remission < 33.
    List<Score> scores = List.of(s(0, 45), s(14, 36), s(28, 35), s(42, 33), s(56, 32));
    MeasureOutcome o = OUTCOMES.evaluate(PCL5, COURSE, scores);

    assertEquals(28, o.firstResponseDay());
    assertEquals(56, o.firstRemissionDay());
    assertEquals(Boolean.TRUE, o.courseResponse());
    assertEquals(Boolean.FALSE, o.courseRemission());
    assertNull(o.siAtBaseline());
  }

  @Test
  void suicidalIdeationResolution() {
    // Item 9 = 2 at baseline. Day 2: 1. Day 3: 0 and 1 on the same day (worst is 1).
    // Day 5: 0, so resolved by 7 and 28 but not by 3.
    List<Score> scores =
        List.of(si(0, 18, 2), si(2, 14, 1), si(3, 13, 0), si(3, 13, 1), si(5, 12, 0));
    MeasureOutcome o = OUTCOMES.evaluate(PHQ9, COURSE, scores);

    assertEquals(Boolean.TRUE, o.siAtBaseline());
    assertEquals(Map.of(3, false, 7, true, 28, true), o.siResolvedBy());
    assertEquals(Boolean.FALSE, o.siResolvedBy(3));

    // Never zero in follow-up: unresolved at every day.
    MeasureOutcome never =
        OUTCOMES.evaluate(PHQ9, COURSE, List.of(si(0, 18, 1), si(20, 12, 1), si(40, 8, 0)));
    assertEquals(Map.of(3, false, 7, false, 28, false), never.siResolvedBy());

    // No SI at baseline: not applicable.
    MeasureOutcome none = OUTCOMES.evaluate(PHQ9, COURSE, List.of(si(0, 18, 0), si(2, 10, 0)));
    assertEquals(Boolean.FALSE, none.siAtBaseline());
    assertNull(none.siResolvedBy(3));

    // Item 9 not tracked for GAD-7, even when present.
    MeasureOutcome gad = OUTCOMES.evaluate(GAD7, COURSE, List.of(si(0, 18, 2), si(2, 10, 0)));
    assertNull(gad.siAtBaseline());
    assertNull(gad.siResolvedBy(3));
  }

  @Test
  void stratumAndReBasingOnIndex() {
    // Administrations on an epoch-like axis: index = day 100. Relative days 0, 3, 7, 35, 40, 41,
    // 41: day 35 is still initial course; 40 and 41 are two distinct booster days.
    List<Integer> admin = List.of(141, 100, 103, 107, 135, 140, 141);
    List<Score> scores = List.of(s(100, 20), s(114, 8), s(130, 9));
    MeasureOutcome o = OUTCOMES.evaluate(PHQ9, admin, scores);

    assertEquals(40, o.maintenanceStartDay());
    assertEquals(2, o.boosterCount());
    assertEquals(0, o.baselineDay());
    assertEquals(14, o.firstResponseDay());
    assertEquals(30, o.lastScoreDay());
    assertEquals(16, o.durabilityDays());
    assertEquals(Boolean.TRUE, o.courseResponse());
  }

  @Test
  void courseOutcomeNotEvaluableWithoutScoreInWindow() {
    MeasureOutcome o = OUTCOMES.evaluate(PHQ9, COURSE, List.of(s(0, 20), s(14, 8), s(36, 7)));
    assertNull(o.courseResponse());
    assertNull(o.courseRemission());
    assertEquals(14, o.firstResponseDay());
  }

  @Test
  void landmarks() {
    assertEquals(List.of(91, 183, 365, 731, 1096),
        RULES.landmarkMonths().stream().map(RULES::landmarkDay).toList());
    // First response on day 120, never relapses, last score on day 400.
    List<Score> scores = List.of(s(0, 20), s(30, 12), s(120, 8), s(200, 9), s(400, 7));
    MeasureOutcome o = OUTCOMES.evaluate(PHQ9, COURSE, scores);
    assertEquals(
        Map.of(
            3, LandmarkStatus.NOT_YET_RESPONDED,
            6, LandmarkStatus.RELAPSE_FREE,
            12, LandmarkStatus.RELAPSE_FREE,
            24, LandmarkStatus.LOST,
            36, LandmarkStatus.LOST),
        o.landmarks());
    assertEquals(280, o.durabilityDays());

    MeasureOutcome nonResponder =
        OUTCOMES.evaluate(PHQ9, COURSE, List.of(s(0, 20), s(30, 12), s(400, 15)));
    assertNull(nonResponder.durabilityDays());
    assertEquals(LandmarkStatus.NOT_RESPONDER, nonResponder.landmarks().get(36));
  }

  @Test
  void numbersComeFromConfig() {
    CohortRules three =
        new CohortRules(-14, 0, 1, 28, 14, 28, 3, List.of(7), List.of(1), 30, 1.96,
            List.of(new MeasureRule("X", 10, ResponseRule.relative(0.6), 4, false)));
    OutcomeRules rules = OutcomeRules.of(three);
    // Baseline 20, response <= 12. Three consecutive failing scores needed: 40, 50, 60.
    List<Score> scores =
        List.of(s(-20, 30), s(-1, 20), s(14, 12), s(28, 3), s(40, 13), s(50, 14), s(60, 15));
    MeasureOutcome o = rules.evaluate(three.measure("X"), List.of(0, 29), scores);
    assertEquals(-1, o.baselineDay());
    assertEquals(14, o.firstResponseDay());
    assertEquals(28, o.firstRemissionDay());
    assertEquals(40, o.relapseDay());
    assertEquals(1, o.boosterCount());
    assertEquals(Boolean.TRUE, o.courseRemission());
    // Landmark 1 month = day 30: responded on 14, relapse on 40 is later, followed to 60.
    assertEquals(Map.of(1, LandmarkStatus.RELAPSE_FREE), o.landmarks());
  }

  @Test
  void outcomeIsSerializable() throws Exception {
    MeasureOutcome o =
        OUTCOMES.evaluate(PHQ9, COURSE, List.of(si(0, 18, 2), si(5, 8, 0), si(30, 7, 0)));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(o);
      out.writeObject(OUTCOMES);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertEquals(o, in.readObject());
      assertEquals(RULES, ((OutcomeRules) in.readObject()).rules());
    }
  }
}
