package org.longitude.cohort;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.longitude.cohort.rules.ComparisonRules;
import org.longitude.cohort.rules.ComparisonSubject;
import org.longitude.cohort.rules.LandmarkGroup;
import org.longitude.cohort.rules.MaintenanceExposure;
import org.longitude.cohort.rules.MeasureOutcome;
import org.longitude.cohort.rules.OutcomeRules;
import org.longitude.cohort.rules.Score;
import org.longitude.config.CohortSettings;
import org.longitude.config.DeidRules;
import org.longitude.release.Covariates;
import org.longitude.release.OutcomeRows;
import org.longitude.timeline.Timeline;

/**
 * Evaluates one participant for every condition: an outcomes row each (built by the release,
 * {@link OutcomeRows}), the counts the curves
 * and rates are assembled from, and a responder's follow-up with maintenance as it happens
 * (the intervals rows, and the same as one element for the comparison's fit).
 */
final class EvaluateFn extends DoFn<Timeline, GenericRecord> {
  static final String NO_DIAGNOSIS = "NO_DIAGNOSIS";
  private final CohortConfig config;
  private final DeidRules deid;
  private final String runId;
  private transient OutcomeRules rules;
  private transient OutcomeRows rows;

  EvaluateFn(CohortConfig config, DeidRules deid, String runId) {
    this.config = config;
    this.deid = deid;
    this.runId = runId;
  }

  @Setup
  public void setup() {
    rules = OutcomeRules.of(config.rules());
    rows = new OutcomeRows(deid, runId);
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
      int landmark = config.comparison().landmarkDay();
      MaintenanceExposure exposure = exclusion == null ? MaintenanceExposure.of(o) : null;
      LandmarkGroup group = exposure == null ? null : exposure.groupAt(landmark);
      out.get(ComputeCohorts.OUTCOMES).output(rows.outcome(t, condition, o, exclusion, group));
      out.get(ComputeCohorts.TALLIES).output(KV.of(condition, tally(o, diagnosed, exclusion)));
      if (exposure == null) {
        continue;
      }
      String key = condition + "|" + measure;
      out.get(ComputeCohorts.CURVES).output(KV.of(key, StrataCounts.of(curveCounts(o, 0),
          group == null ? null : group.label(), group == null ? null : curveCounts(o, landmark))));
      if (!exposure.intervals().isEmpty()) {
        Covariates covariates = covariates(t, o, measure);
        ComparisonSubject subject = new ComparisonSubject(t.participantId(), t.clinic(),
            exposure.intervals(), group, covariates.values(comparisonTerms(config, measure)));
        out.get(ComputeCohorts.SUBJECTS).output(KV.of(key, subject));
        for (MaintenanceExposure.Interval i : exposure.intervals()) {
          out.get(ComputeCohorts.INTERVALS).output(rows.interval(t, condition, o.measure(), i,
              group, covariates));
        }
      }
    }
  }

  /** The adjustment set of a measure: suicidal ideation only where the measure records it. */
  static List<String> comparisonTerms(CohortConfig config, String measure) {
    return config.comparison().covariates().stream()
        .filter(c -> !c.equals(ComparisonRules.SI_AT_BASELINE)
            || config.suicidalIdeationItem().containsKey(measure))
        .toList();
  }

  private Covariates covariates(Timeline t, MeasureOutcome o, String measure) {
    int courseEnd = config.rules().initialCourseEndDay();
    int initial = (int) t.treatments().stream().map(Timeline.Treatment::daysSinceIndex)
        .filter(d -> d != null && d <= courseEnd).distinct().count();
    return rows.covariates(t, o.baselineScore().intValue(),
        config.suicidalIdeationItem().containsKey(measure) ? o.siAtBaseline() : null, initial);
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

  /**
   * A responder's curve counts from {@code entry} days after first response on: 0 for {@code
   * all}, the landmark for a landmark group (delayed entry; landmark months before it are not
   * counted, the group being unknown then).
   */
  private CurveCounts curveCounts(MeasureOutcome o, int entry) {
    CurveCounts counts = new CurveCounts();
    if (entry == 0) {
      counts.durability.addSubject(o.durabilityDays(), o.relapsed());
    } else {
      counts.durability.addSubject(entry, o.durabilityDays(), o.relapsed());
    }
    int exit = o.relapsed() ? o.relapseDay() : o.lastScoreDay();
    counts.sinceIndex.addSubject(o.firstResponseDay() + entry, exit, o.relapsed());
    o.landmarks().forEach((month, status) -> {
      if (config.rules().landmarkDay(month) >= o.firstResponseDay() + entry) {
        counts.addLandmark(month, status);
      }
    });
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
