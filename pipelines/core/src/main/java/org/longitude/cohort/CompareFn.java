package org.longitude.cohort;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.longitude.cohort.rules.ComparisonSubject;
import org.longitude.cohort.rules.CoxFit;
import org.longitude.cohort.rules.LandmarkGroup;
import org.longitude.cohort.rules.LogRank;
import org.longitude.cohort.rules.MaintenanceComparison;
import org.longitude.cohort.rules.ProportionalHazardsCheck;
import org.longitude.cohort.rules.WeightedKaplanMeier;
import org.longitude.common.Rows;
import org.longitude.common.Schemas;
import org.longitude.deid.SmallCells;

/**
 * Runs the maintenance comparison of one condition and measure on its responders' interval rows
 * ({@link MaintenanceComparison}) and writes its tables: comparisons, ph_checks, balance and
 * weighted_survival. Counts from 1 to the threshold are withheld, and so is a subset's count
 * whose difference from the full count would be small (the complete cases against all).
 */
final class CompareFn extends DoFn<KV<String, Iterable<ComparisonSubject>>, GenericRecord> {
  static final String LOGRANK = "logrank_landmark";
  static final String LOGRANK_BY_CLINIC = "logrank_landmark_by_clinic";
  static final String WEIGHTING = "iptw_landmark";

  private final CohortConfig config;
  private final SmallCells cells;
  private final String runId;
  private transient Map<String, Schema> schemas;

  CompareFn(CohortConfig config, SmallCells cells, String runId) {
    this.config = config;
    this.cells = cells;
    this.runId = runId;
  }

  @Setup
  public void setup() {
    schemas = Map.of(
        Schemas.COMPARISONS, Schemas.load(Schemas.COMPARISONS),
        Schemas.PH_CHECKS, Schemas.load(Schemas.PH_CHECKS),
        Schemas.BALANCE, Schemas.load(Schemas.BALANCE),
        Schemas.WEIGHTED_SURVIVAL, Schemas.load(Schemas.WEIGHTED_SURVIVAL));
  }

  @ProcessElement
  public void process(@Element KV<String, Iterable<ComparisonSubject>> condition,
      MultiOutputReceiver out) {
    String[] key = condition.getKey().split("\\|");
    List<ComparisonSubject> subjects = new ArrayList<>();
    condition.getValue().forEach(subjects::add);
    // The runner groups in no particular order; the fit's sums are summed in this one.
    subjects.sort(Comparator.comparing(ComparisonSubject::participantId));
    List<String> covariates = EvaluateFn.comparisonTerms(config, key[1]);
    MaintenanceComparison.Result result = MaintenanceComparison.analyse(subjects, covariates,
        config.comparison(), config.rules().confidenceZ());
    Table table = new Table(key[0], key[1], out);
    long allSubjects = result.models().get(0).subjects();
    long allEvents = result.models().get(0).fit().events();
    for (MaintenanceComparison.Model m : result.models()) {
      table.cox(m, covariates, allSubjects, allEvents);
    }
    table.landmark(result.landmark());
  }

  /** The rows of one condition and measure. */
  private final class Table {
    private final String condition;
    private final String measure;
    private final MultiOutputReceiver out;

    Table(String condition, String measure, MultiOutputReceiver out) {
      this.condition = condition;
      this.measure = measure;
      this.out = out;
    }

    void cox(MaintenanceComparison.Model m, List<String> covariates, long allSubjects,
        long allEvents) {
      CoxFit fit = m.fit();
      Long participants = shown(m.subjects(), allSubjects);
      Long events = shown(fit.events(), allEvents);
      m.leftOut().forEach((term, reason) ->
          comparison(m.name(), term, "wald_z", participants, events, reason));
      if (!fit.estimable()) {
        for (String term : fit.terms()) {
          comparison(m.name(), term, "wald_z", participants, events, fit.problem().name());
        }
        return;
      }
      double z = config.rules().confidenceZ();
      for (int j = 0; j < fit.terms().size(); j++) {
        out.get(ComputeCohorts.COMPARISONS).output(
            row(m.name(), fit.terms().get(j), "wald_z", participants, events)
                .set("coefficient", fit.coefficients()[j])
                .set("hazard_ratio", fit.hazardRatio(j))
                .set("ci_lower", fit.hazardRatioLower(j, z))
                .set("ci_upper", fit.hazardRatioUpper(j, z))
                .set("std_error", fit.stdErr(j))
                .set("statistic", fit.z(j))
                .set("p_value", fit.pValue(j))
                .build());
      }
      test(m.name(), "likelihood_ratio", fit.likelihoodRatioTest(), fit.df(),
          fit.likelihoodRatioP(), participants, events);
      test(m.name(), "wald", fit.waldTest(), fit.df(), fit.waldP(), participants, events);
      test(m.name(), "score", fit.scoreTest(), fit.df(), fit.scoreP(), participants, events);
      for (ProportionalHazardsCheck.Test t : m.checks()) {
        out.get(ComputeCohorts.PH_CHECKS).output(Rows.of(schemas.get(Schemas.PH_CHECKS))
            .set("condition", condition).set("measure", measure)
            .set("analysis", m.name()).set("term", t.term())
            .set("chi_square", finite(t.chiSquare())).set("df", t.df())
            .set("p_value", finite(t.p()))
            .set("run_id", runId)
            .build());
      }
    }

    void landmark(MaintenanceComparison.Landmark l) {
      long subjects = l.subjects().values().stream().mapToLong(Integer::longValue).sum();
      long events = l.events().values().stream().mapToLong(Integer::longValue).sum();
      logRank(LOGRANK, l.logRank(), subjects, events);
      logRank(LOGRANK_BY_CLINIC, l.logRankByClinic(), subjects, events);
      weighting(l, subjects);
      for (MaintenanceComparison.CovariateBalance b : l.balance()) {
        Long inMaintenance = shown(l.weightedSubjects().get(LandmarkGroup.MAINTENANCE),
            l.subjects().get(LandmarkGroup.MAINTENANCE));
        Long inNone = shown(l.weightedSubjects().get(LandmarkGroup.NONE),
            l.subjects().get(LandmarkGroup.NONE));
        // Means of a few people would describe them; the counts alone may be withheld only
        // because the full groups beside them differ by a few.
        boolean suppressed = cells.isSmall(l.weightedSubjects().get(LandmarkGroup.MAINTENANCE))
            || cells.isSmall(l.weightedSubjects().get(LandmarkGroup.NONE));
        out.get(ComputeCohorts.BALANCE).output(Rows.of(schemas.get(Schemas.BALANCE))
            .set("condition", condition).set("measure", measure)
            .set("covariate", b.covariate())
            .set("mean_maintenance", suppressed ? null : b.meanMaintenance())
            .set("mean_none", suppressed ? null : b.meanNone())
            .set("weighted_mean_maintenance", suppressed ? null : b.weightedMeanMaintenance())
            .set("weighted_mean_none", suppressed ? null : b.weightedMeanNone())
            .set("smd_unweighted", suppressed ? null : finite(b.smdBefore()))
            .set("smd_weighted", suppressed ? null : finite(b.smdAfter()))
            .set("participants_maintenance", inMaintenance)
            .set("participants_none", inNone)
            .set("suppressed", suppressed)
            .set("run_id", runId)
            .build());
      }
      l.weightedCurves().forEach((group, rows) -> {
        for (WeightedKaplanMeier.Row r : rows) {
          out.get(ComputeCohorts.WEIGHTED_SURVIVAL).output(
              Rows.of(schemas.get(Schemas.WEIGHTED_SURVIVAL))
                  .set("condition", condition).set("measure", measure)
                  .set("stratum", group.label()).set("landmark_day", l.day())
                  .set("day", (int) r.time())
                  .set("survival", r.survival())
                  .set("std_error", r.stdErr())
                  .set("ci_lower", r.ciLower())
                  .set("ci_upper", r.ciUpper())
                  .set("run_id", runId)
                  .build());
        }
      });
    }

    /** Whether the weighted curves and balance could be made, and on how many participants. */
    private void weighting(MaintenanceComparison.Landmark l, long subjects) {
      long complete = l.weightedSubjects().values().stream().mapToLong(Integer::longValue).sum();
      Long shown = shown(complete, subjects);
      l.propensityLeftOut().forEach((term, reason) ->
          comparison(WEIGHTING, term, "propensity", shown, null, reason));
      if (l.propensity() == null || !l.propensity().estimable()) {
        comparison(WEIGHTING, null, "propensity", shown, null,
            l.propensity() == null ? "ONE_GROUP" : l.propensity().problem());
      } else {
        out.get(ComputeCohorts.COMPARISONS).output(
            row(WEIGHTING, null, "propensity", shown, null).build());
      }
    }

    private void logRank(String analysis, LogRank.Result r, long subjects, long events) {
      if (r == null || !(r.variance() > 0)) {
        comparison(analysis, "maintenance", "logrank", cells.show(subjects),
            cells.show(events), r == null ? "ONE_GROUP" : "NO_EVENTS");
        return;
      }
      out.get(ComputeCohorts.COMPARISONS).output(row(analysis, "maintenance", "logrank",
          cells.show(subjects), cells.show(events))
          .set("statistic", finite(r.chiSquare())).set("df", 1).set("p_value", finite(r.p()))
          .build());
    }

    private void test(String analysis, String test, double statistic, int df, double p,
        Long participants, Long events) {
      out.get(ComputeCohorts.COMPARISONS).output(row(analysis, null, test, participants, events)
          .set("statistic", statistic).set("df", df).set("p_value", p)
          .build());
    }

    /** A row without numbers: not estimable, for the reason given. */
    private void comparison(String analysis, String term, String test, Long participants,
        Long events, String reason) {
      out.get(ComputeCohorts.COMPARISONS).output(row(analysis, term, test, participants, events)
          .set("estimable", false).set("reason", reason).build());
    }

    private Rows row(String analysis, String term, String test, Long participants,
        Long events) {
      return Rows.of(schemas.get(Schemas.COMPARISONS))
          .set("condition", condition).set("measure", measure)
          .set("analysis", analysis).set("term", term).set("test", test)
          .set("participants", participants).set("events", events)
          .set("estimable", true)
          .set("run_id", runId);
    }
  }

  /**
   * A subset's count, withheld when small or when it falls short of the full count by a small
   * number (the two shown side by side would give that number away).
   */
  private Long shown(long subset, long all) {
    return cells.isSmall(subset) || cells.isSmall(all - subset) ? null : subset;
  }

  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
