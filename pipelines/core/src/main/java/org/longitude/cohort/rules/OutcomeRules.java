package org.longitude.cohort.rules;

import java.io.Serializable;
import java.util.Collection;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Applies {@link CohortRules} to one participant's administrations and scores on one measure.
 *
 * <p>Input days may be on any common integer axis (days since index, or epoch days): the index is
 * the earliest administration day and everything is re-expressed as days since it. Input order
 * carries no meaning, which matters because Beam does not order grouped values:
 *
 * <ul>
 *   <li>Several scores on the same day are collapsed to the <em>worst</em> one (highest total);
 *       item 9 becomes the highest recorded item 9 of that day. This is conservative (it never
 *       creates a response or an SI resolution that one of the same-day records contradicts) and
 *       deterministic.
 *   <li>Several administrations on the same day count as one administration day.
 * </ul>
 *
 * <p>Instances are immutable and serializable; create one per pipeline and reuse it.
 */
public final class OutcomeRules implements Serializable {

  private static final long serialVersionUID = 1L;

  private final CohortRules rules;

  private OutcomeRules(CohortRules rules) {
    this.rules = Objects.requireNonNull(rules, "rules");
  }

  /** Rules evaluator for {@code rules}. */
  public static OutcomeRules of(CohortRules rules) {
    return new OutcomeRules(rules);
  }

  /** The configuration in use. */
  public CohortRules rules() {
    return rules;
  }

  /**
   * Evaluates one participant on one measure.
   *
   * @param measure the measure's rule
   * @param administrationDays days of ketamine administrations (any order, duplicates allowed)
   * @param scores the participant's scores on this measure (any order)
   */
  public MeasureOutcome evaluate(
      MeasureRule measure, Collection<Integer> administrationDays, Collection<Score> scores) {
    Objects.requireNonNull(measure, "measure");
    Objects.requireNonNull(administrationDays, "administrationDays");
    Objects.requireNonNull(scores, "scores");
    if (administrationDays.isEmpty()) {
      return excluded(measure, ExclusionReason.NO_INDEX, 0, null);
    }
    TreeSet<Integer> admin = new TreeSet<>(administrationDays);
    int index = admin.first();
    NavigableSet<Integer> boosterDays = admin.tailSet(index + rules.initialCourseEndDay(), false);
    int boosters = boosterDays.size();

    NavigableMap<Integer, Score> byDay = worstPerDay(scores, index);
    Map.Entry<Integer, Score> baseline =
        latestIn(byDay, rules.baselineWindowStartDay(), rules.baselineWindowEndDay());
    if (baseline == null) {
      return excluded(measure, ExclusionReason.NO_BASELINE, boosters, null);
    }
    double base = baseline.getValue().value();
    if (base < measure.eligibilityThreshold()) {
      return excluded(measure, ExclusionReason.BELOW_THRESHOLD, boosters, baseline);
    }
    NavigableMap<Integer, Score> followUp = byDay.tailMap(rules.firstFollowUpDay(), true);
    if (followUp.isEmpty()) {
      return excluded(measure, ExclusionReason.NO_FOLLOW_UP, boosters, baseline);
    }
    int lastDay = followUp.lastKey();

    Integer firstResponse = null;
    Integer firstRemission = null;
    for (Map.Entry<Integer, Score> e : followUp.entrySet()) {
      double v = e.getValue().value();
      if (firstResponse == null && measure.isResponse(v, base)) {
        firstResponse = e.getKey();
      }
      if (firstRemission == null && measure.isRemission(v)) {
        firstRemission = e.getKey();
      }
    }

    Integer relapse = null;
    Integer durability = null;
    if (firstResponse != null) {
      relapse = relapseDay(measure, base, followUp.tailMap(firstResponse, false));
      durability = (relapse != null ? relapse : lastDay) - firstResponse;
    }

    Map.Entry<Integer, Score> courseScore =
        latestIn(byDay, rules.courseOutcomeWindowStartDay(), rules.courseOutcomeWindowEndDay());
    Boolean courseResponse = null;
    Boolean courseRemission = null;
    if (courseScore != null) {
      courseResponse = measure.isResponse(courseScore.getValue().value(), base);
      courseRemission = measure.isRemission(courseScore.getValue().value());
    }

    Boolean siAtBaseline = null;
    TreeMap<Integer, Boolean> siResolved = new TreeMap<>();
    Integer baseItem9 = baseline.getValue().item9();
    if (measure.tracksSuicidalIdeation() && baseItem9 != null) {
      siAtBaseline = baseItem9 > 0;
      if (siAtBaseline) {
        Integer firstZero = null;
        for (Map.Entry<Integer, Score> e : followUp.entrySet()) {
          Integer item9 = e.getValue().item9();
          if (item9 != null && item9 == 0) {
            firstZero = e.getKey();
            break;
          }
        }
        for (int d : rules.siResolutionDays()) {
          siResolved.put(d, firstZero != null && firstZero <= d);
        }
      }
    }

    TreeMap<Integer, LandmarkStatus> landmarks = new TreeMap<>();
    for (int month : rules.landmarkMonths()) {
      landmarks.put(
          month, landmarkStatus(rules.landmarkDay(month), firstResponse, relapse, lastDay));
    }

    // Boosters after the relapse are treatment of the relapse, not maintenance before it.
    Integer maintenanceStart = boosterDays.isEmpty() ? null : boosterDays.first() - index;
    if (maintenanceStart != null && relapse != null && maintenanceStart >= relapse) {
      maintenanceStart = null;
    }

    return new MeasureOutcome(
        measure.name(),
        null,
        boosters,
        maintenanceStart,
        baseline.getKey(),
        base,
        lastDay,
        firstResponse,
        firstRemission,
        relapse,
        durability,
        courseResponse,
        courseRemission,
        siAtBaseline,
        siResolved,
        landmarks);
  }

  /**
   * Status at landmark day {@code day} from the durability fields of an outcome; {@code null}
   * for excluded participants.
   */
  public static LandmarkStatus landmarkStatus(MeasureOutcome outcome, int day) {
    if (!outcome.eligible()) {
      return null;
    }
    return landmarkStatus(
        day, outcome.firstResponseDay(), outcome.relapseDay(), outcome.lastScoreDay());
  }

  private static LandmarkStatus landmarkStatus(
      int day, Integer firstResponse, Integer relapse, int lastDay) {
    if (firstResponse == null) {
      return LandmarkStatus.NOT_RESPONDER;
    }
    if (firstResponse > day) {
      return LandmarkStatus.NOT_YET_RESPONDED;
    }
    if (relapse != null && relapse <= day) {
      return LandmarkStatus.RELAPSED;
    }
    return lastDay >= day ? LandmarkStatus.RELAPSE_FREE : LandmarkStatus.LOST;
  }

  /** First day of the first run of N consecutive scores that fail the rule at or above threshold. */
  private Integer relapseDay(
      MeasureRule measure, double base, NavigableMap<Integer, Score> afterResponse) {
    int run = 0;
    Integer runStart = null;
    for (Map.Entry<Integer, Score> e : afterResponse.entrySet()) {
      double v = e.getValue().value();
      boolean failing = !measure.isResponse(v, base) && v >= measure.eligibilityThreshold();
      if (!failing) {
        run = 0;
        runStart = null;
        continue;
      }
      if (run == 0) {
        runStart = e.getKey();
      }
      run++;
      if (run >= rules.relapseConsecutiveScores()) {
        return runStart;
      }
    }
    return null;
  }

  private static NavigableMap<Integer, Score> worstPerDay(Collection<Score> scores, int index) {
    TreeMap<Integer, Score> byDay = new TreeMap<>();
    for (Score s : scores) {
      int day = Math.subtractExact(s.day(), index);
      byDay.merge(day, new Score(day, s.value(), s.item9()), OutcomeRules::worse);
    }
    return byDay;
  }

  private static Score worse(Score a, Score b) {
    Integer item9;
    if (a.item9() == null) {
      item9 = b.item9();
    } else if (b.item9() == null) {
      item9 = a.item9();
    } else {
      item9 = Math.max(a.item9(), b.item9());
    }
    return new Score(a.day(), Math.max(a.value(), b.value()), item9);
  }

  private static Map.Entry<Integer, Score> latestIn(
      NavigableMap<Integer, Score> byDay, int from, int to) {
    Map.Entry<Integer, Score> e = byDay.floorEntry(to);
    return e != null && e.getKey() >= from ? e : null;
  }

  private static MeasureOutcome excluded(
      MeasureRule measure,
      ExclusionReason reason,
      int boosters,
      Map.Entry<Integer, Score> baseline) {
    return new MeasureOutcome(
        measure.name(),
        reason,
        boosters,
        null,
        baseline == null ? null : baseline.getKey(),
        baseline == null ? null : baseline.getValue().value(),
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        new TreeMap<>(),
        new TreeMap<>());
  }
}
