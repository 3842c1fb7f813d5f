package org.longitude.release;

import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.longitude.cohort.rules.LandmarkGroup;
import org.longitude.cohort.rules.MaintenanceExposure;
import org.longitude.cohort.rules.MeasureOutcome;
import org.longitude.common.Schemas;
import org.longitude.config.DeidRules;
import org.longitude.timeline.Timeline;

/**
 * The participant-level cohort rows: {@code outcomes} (one per participant and condition, days
 * since index only) and {@code intervals} (a responder's follow-up with maintenance as it
 * happens, and the covariates the comparison adjusts for). Not thread-safe.
 */
public final class OutcomeRows {
  private final Ages ages;
  private final String runId;
  private final Schema outcomes = Schemas.load(Schemas.OUTCOMES);
  private final Schema intervals = Schemas.load(Schemas.INTERVALS);

  public OutcomeRows(DeidRules rules, String runId) {
    this.ages = new Ages(rules);
    this.runId = runId;
  }

  /** A participant's covariates, with the released (capped) age at index. */
  public Covariates covariates(Timeline t, int baselineScore, Boolean siAtBaseline,
      int initialInfusions) {
    return new Covariates(baselineScore,
        ages.ageAt(t.birthDate(), t.indexDate(), t.ageCapDate()), t.sex(), siAtBaseline,
        initialInfusions);
  }

  /** @param exclusion why the participant is not eligible, or null when eligible */
  public GenericRecord outcome(Timeline t, String condition, MeasureOutcome o,
      String exclusion, LandmarkGroup group) {
    boolean eligible = exclusion == null;
    Map<String, String> landmarks = new TreeMap<>();
    o.landmarks().forEach((month, status) -> landmarks.put(String.valueOf(month), status.name()));
    return Rows.of(outcomes)
        .set("participant_id", t.participantId())
        .set("clinic", t.clinic())
        .set("condition", condition)
        .set("measure", o.measure())
        .set("eligible", eligible)
        .set("exclusion_reason", exclusion)
        .set("baseline_score", o.baselineScore() == null ? null : o.baselineScore().intValue())
        .set("baseline_day", o.baselineDay())
        .set("first_response_day", eligible ? o.firstResponseDay() : null)
        .set("first_remission_day", eligible ? o.firstRemissionDay() : null)
        .set("relapse_day", eligible ? o.relapseDay() : null)
        .set("censor_day", eligible && o.responder() && !o.relapsed() ? o.lastScoreDay() : null)
        .set("durability_days", eligible ? o.durabilityDays() : null)
        .set("relapsed", eligible && o.responder() ? o.relapsed() : null)
        .set("course_response", eligible ? o.courseResponse() : null)
        .set("course_remission", eligible ? o.courseRemission() : null)
        .set("si_at_baseline", eligible ? o.siAtBaseline() : null)
        .set("si_resolved_day3", eligible ? o.siResolvedBy(3) : null)
        .set("si_resolved_day7", eligible ? o.siResolvedBy(7) : null)
        .set("si_resolved_day28", eligible ? o.siResolvedBy(28) : null)
        .set("boosters", t.boosters())
        .set("maintenance_start_day", eligible ? o.maintenanceStartDay() : null)
        .set("landmark_group", group == null ? null : group.label())
        .set("landmark_statuses", eligible ? landmarks : Map.of())
        .set("run_id", runId)
        .build();
  }

  public GenericRecord interval(Timeline t, String condition, String measure,
      MaintenanceExposure.Interval i, LandmarkGroup group, Covariates c) {
    return Rows.of(intervals)
        .set("participant_id", t.participantId())
        .set("clinic", t.clinic())
        .set("condition", condition)
        .set("measure", measure)
        .set("start", i.start())
        .set("stop", i.stop())
        .set("event", i.event())
        .set("maintenance", i.maintenance())
        .set("landmark_group", group == null ? null : group.label())
        .set("baseline_score", c.baselineScore())
        .set("age_at_index", c.ageAtIndex())
        .set("sex", c.sex())
        .set("si_at_baseline", c.siAtBaseline())
        .set("initial_infusions", c.initialInfusions())
        .set("run_id", runId)
        .build();
  }
}
