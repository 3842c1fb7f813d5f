package org.longitude.cohort;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.longitude.cohort.rules.MeasureOutcome;
import org.longitude.cohort.rules.OutcomeRules;
import org.longitude.cohort.rules.Score;
import org.longitude.common.Rows;
import org.longitude.common.Schemas;
import org.longitude.config.CohortSettings;
import org.longitude.timeline.Timeline;

/**
 * Evaluates one participant for every condition: an outcomes row each, plus the counts the
 * curves and rates are assembled from.
 */
final class EvaluateFn extends DoFn<Timeline, GenericRecord> {
  static final String NO_DIAGNOSIS = "NO_DIAGNOSIS";
  private final CohortConfig config;
  private final String runId;
  private transient OutcomeRules rules;
  private transient Schema outcomes;

  EvaluateFn(CohortConfig config, String runId) {
    this.config = config;
    this.runId = runId;
  }

  @Setup
  public void setup() {
    rules = OutcomeRules.of(config.rules());
    outcomes = Schemas.load(Schemas.OUTCOMES);
  }

  @ProcessElement
  public void process(@Element Timeline t, MultiOutputReceiver out) {
    List<Integer> administrationDays = t.treatments().stream()
        .map(Timeline.Treatment::daysSinceIndex).toList();
    for (Map.Entry<String, CohortSettings.ConditionRule> c : config.conditions().entrySet()) {
      String condition = c.getKey();
      String measure = c.getValue().measure();
      boolean diagnosed = hasDiagnosis(t, c.getValue());
      MeasureOutcome o = rules.evaluate(config.rules().measure(measure), administrationDays,
          scores(t, measure));
      String exclusion = !diagnosed ? NO_DIAGNOSIS
          : o.exclusion() == null ? null : o.exclusion().name();
      out.get(ComputeCohorts.OUTCOMES).output(outcomeRow(t, condition, o, exclusion));
      out.get(ComputeCohorts.TALLIES).output(KV.of(condition, tally(o, diagnosed, exclusion)));
      if (exclusion == null && o.responder()) {
        out.get(ComputeCohorts.CURVES).output(KV.of(condition + "|" + measure,
            StrataCounts.of(o.stratum().label(), curveCounts(o))));
      }
    }
  }

  private List<Score> scores(Timeline t, String measure) {
    Integer siItem = config.suicidalIdeationItem().get(measure);
    List<Score> scores = new ArrayList<>();
    for (Timeline.Score s : t.scores()) {
      if (s.measure().equals(measure) && s.daysSinceIndex() != null) {
        Integer item9 = siItem != null && s.items().size() >= siItem
            ? s.items().get(siItem - 1) : null;
        scores.add(new Score(s.daysSinceIndex(), s.score(), item9));
      }
    }
    return scores;
  }

  static boolean hasDiagnosis(Timeline t, CohortSettings.ConditionRule rule) {
    if (rule.diagnoses() == null || rule.diagnoses().isEmpty()) {
      return true;
    }
    return t.diagnosisCodes().stream().anyMatch(code -> rule.diagnoses().stream()
        .anyMatch(d -> code.startsWith(d.system() + "|" + d.codePrefix())));
  }

  private static CurveCounts curveCounts(MeasureOutcome o) {
    CurveCounts counts = new CurveCounts();
    counts.durability.addSubject(o.durabilityDays(), o.relapsed());
    int exit = o.relapsed() ? o.relapseDay() : o.lastScoreDay();
    counts.sinceIndex.addSubject(o.firstResponseDay(), exit, o.relapsed());
    o.landmarks().forEach(counts::addLandmark);
    return counts;
  }

  /** Attrition steps and course-outcome counts of one participant. */
  private Tally tally(MeasureOutcome o, boolean diagnosed, String exclusion) {
    String reason = o.exclusion() == null ? "" : o.exclusion().name();
    boolean withIndex = diagnosed && !reason.equals("NO_INDEX");
    boolean withBaseline = withIndex && !reason.equals("NO_BASELINE");
    boolean aboveThreshold = withBaseline && !reason.equals("BELOW_THRESHOLD");
    boolean eligible = exclusion == null;
    Tally tally = new Tally()
        .add(Steps.PULLED, true)
        .add(Steps.WITH_DIAGNOSIS, diagnosed)
        .add(Steps.WITH_INDEX, withIndex)
        .add(Steps.WITH_BASELINE, withBaseline)
        .add(Steps.ABOVE_THRESHOLD, aboveThreshold)
        .add(Steps.ELIGIBLE, eligible)
        .add(Steps.RESPONDERS, eligible && o.responder())
        .add(Steps.RELAPSED, eligible && o.responder() && o.relapsed());
    if (eligible) {
      tally.add("response.den", o.courseResponse() != null)
          .add("response.num", Boolean.TRUE.equals(o.courseResponse()))
          .add("remission.den", o.courseRemission() != null)
          .add("remission.num", Boolean.TRUE.equals(o.courseRemission()));
      if (Boolean.TRUE.equals(o.siAtBaseline())) {
        for (int day : config.rules().siResolutionDays()) {
          tally.add("si_resolved_day" + day + ".den", true)
              .add("si_resolved_day" + day + ".num", Boolean.TRUE.equals(o.siResolvedBy(day)));
        }
      }
    }
    return tally;
  }

  private GenericRecord outcomeRow(Timeline t, String condition, MeasureOutcome o,
      String exclusion) {
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
        .set("stratum", o.stratum() == null ? "none" : o.stratum().label())
        .set("landmark_statuses", eligible ? landmarks : Map.of())
        .set("run_id", runId)
        .build();
  }

  /** The attrition steps, in flow order. */
  static final class Steps {
    static final String PULLED = "pulled";
    static final String WITH_DIAGNOSIS = "with_diagnosis";
    static final String WITH_INDEX = "with_index";
    static final String WITH_BASELINE = "with_baseline";
    static final String ABOVE_THRESHOLD = "above_threshold";
    static final String ELIGIBLE = "eligible_with_follow_up";
    static final String RESPONDERS = "responders";
    static final String RELAPSED = "relapsed";
    static final List<String> ORDER = List.of(PULLED, WITH_DIAGNOSIS, WITH_INDEX, WITH_BASELINE,
        ABOVE_THRESHOLD, ELIGIBLE, RESPONDERS, RELAPSED);
    static final List<String> REASONS = List.of("", NO_DIAGNOSIS, "NO_INDEX", "NO_BASELINE",
        "BELOW_THRESHOLD", "NO_FOLLOW_UP", "NOT_RESPONDER", "NO_RELAPSE_YET");

    private Steps() {}
  }
}
