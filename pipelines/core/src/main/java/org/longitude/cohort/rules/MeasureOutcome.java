package org.longitude.cohort.rules;

import java.io.Serializable;
import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Outcomes of one participant on one measure, as produced by {@link OutcomeRules}. Days are days
 * since index. Boxed fields are {@code null} when not applicable; for an excluded participant all
 * outcome fields are {@code null} and the maps are empty.
 *
 * @param measure measure name
 * @param exclusion why the participant is excluded, {@code null} when eligible
 * @param boosterCount distinct administration days after the initial course
 * @param maintenanceStartDay the first of them that comes before the relapse (any of them
 *     without a relapse): where maintenance starts; {@code null} when none does
 * @param baselineDay day of the baseline score, {@code null} when none
 * @param baselineScore baseline score, {@code null} when none
 * @param lastScoreDay day of the last follow-up score
 * @param firstResponseDay first follow-up day meeting the response rule, {@code null} if none
 * @param firstRemissionDay first follow-up day below the remission threshold, {@code null} if none
 * @param relapseDay first day of the first run of failing scores, {@code null} if no relapse
 * @param durabilityDays days from first response to relapse, or to the last score when censored;
 *     {@code null} for non-responders
 * @param courseResponse response at the latest score in the course-outcome window, {@code null}
 *     when no score there
 * @param courseRemission remission at that score, {@code null} when no score there
 * @param siAtBaseline item 9 &gt; 0 at baseline; {@code null} when the measure does not track it
 *     or baseline item 9 is missing
 * @param siResolvedBy day D to whether item 9 was 0 at some score on days 1..D; empty unless
 *     {@code siAtBaseline} is true
 * @param landmarks landmark month to status; empty when excluded
 */
public record MeasureOutcome(
    String measure,
    ExclusionReason exclusion,
    int boosterCount,
    Integer maintenanceStartDay,
    Integer baselineDay,
    Double baselineScore,
    Integer lastScoreDay,
    Integer firstResponseDay,
    Integer firstRemissionDay,
    Integer relapseDay,
    Integer durabilityDays,
    Boolean courseResponse,
    Boolean courseRemission,
    Boolean siAtBaseline,
    SortedMap<Integer, Boolean> siResolvedBy,
    SortedMap<Integer, LandmarkStatus> landmarks)
    implements Serializable {

  public MeasureOutcome {
    Objects.requireNonNull(measure, "measure");
    siResolvedBy = Collections.unmodifiableSortedMap(new TreeMap<>(siResolvedBy));
    landmarks = Collections.unmodifiableSortedMap(new TreeMap<>(landmarks));
  }

  /** Whether the participant is in the analysis of this measure. */
  public boolean eligible() {
    return exclusion == null;
  }

  /** Whether the participant responded at some follow-up score. */
  public boolean responder() {
    return firstResponseDay != null;
  }

  /** Whether durability ended in a relapse (event) rather than censoring. */
  public boolean relapsed() {
    return relapseDay != null;
  }

  /** Whether SI resolved by day {@code day}; {@code null} when not applicable or not configured. */
  public Boolean siResolvedBy(int day) {
    return siResolvedBy.get(day);
  }
}
