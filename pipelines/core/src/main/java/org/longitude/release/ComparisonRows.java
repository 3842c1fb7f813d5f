package org.longitude.release;

import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.longitude.cohort.rules.CoxFit;
import org.longitude.cohort.rules.LandmarkGroup;
import org.longitude.cohort.rules.LogRank;
import org.longitude.cohort.rules.MaintenanceComparison;
import org.longitude.cohort.rules.ProportionalHazardsCheck;
import org.longitude.cohort.rules.WeightedKaplanMeier;
import org.longitude.common.Schemas;

/**
 * The maintenance comparison's tables of one condition and measure: comparisons, ph_checks,
 * balance and weighted_survival. Counts from 1 to the threshold are withheld, and so is a
 * subset's count whose difference from the full count would be small (the complete cases
 * against all); a balance row's means are withheld where a group's count is. Not thread-safe.
 */
public final class ComparisonRows {
  static final String LOGRANK = "logrank_landmark";
  static final String LOGRANK_BY_CLINIC = "logrank_landmark_by_clinic";
  static final String WEIGHTING = "iptw_landmark";

  /** Where the rows go: the table's name and the row. */
  public interface Sink {
    void row(String table, GenericRecord row);
  }

  private final SmallCells cells;
  private final double z;
  private final String runId;
  private final Map<String, Schema> schemas = Map.of(
      Schemas.COMPARISONS, Schemas.load(Schemas.COMPARISONS),
      Schemas.PH_CHECKS, Schemas.load(Schemas.PH_CHECKS),
      Schemas.BALANCE, Schemas.load(Schemas.BALANCE),
      Schemas.WEIGHTED_SURVIVAL, Schemas.load(Schemas.WEIGHTED_SURVIVAL));

  /** @param z the normal quantile of the confidence intervals */
  public ComparisonRows(SmallCells cells, double z, String runId) {
    this.cells = cells;
    this.z = z;
    this.runId = runId;
  }

  /** The rows of a comparison's result, into {@code sink}. */
  public void release(String condition, String measure, MaintenanceComparison.Result result,
      Sink sink) {
    Table table = new Table(condition, measure, sink);
    long allSubjects = result.models().get(0).subjects();
    long allEvents = result.models().get(0).fit().events();
    for (MaintenanceComparison.Model m : result.models()) {
      table.cox(m, allSubjects, allEvents);
    }
    table.landmark(result.landmark());
  }

  private Schema schema(String table) {
    return schemas.get(table);
  }

  /** The rows of one condition and measure. */
  private final class Table {
    private final String condition;
    private final String measure;
    private final Sink out;

    Table(String condition, String measure, Sink out) {
      this.condition = condition;
      this.measure = measure;
      this.out = out;
    }

    void cox(MaintenanceComparison.Model m, long allSubjects, long allEvents) {
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
      for (int j = 0; j < fit.terms().size(); j++) {
        out.row(Schemas.COMPARISONS,
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
        out.row(Schemas.PH_CHECKS, Rows.of(schema(Schemas.PH_CHECKS))
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
        out.row(Schemas.BALANCE, Rows.of(schema(Schemas.BALANCE))
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
          out.row(Schemas.WEIGHTED_SURVIVAL,
              Rows.of(schema(Schemas.WEIGHTED_SURVIVAL))
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
        out.row(Schemas.COMPARISONS,
            row(WEIGHTING, null, "propensity", shown, null).build());
      }
    }

    private void logRank(String analysis, LogRank.Result r, long subjects, long events) {
      if (r == null || !(r.variance() > 0)) {
        comparison(analysis, "maintenance", "logrank", cells.show(subjects),
            cells.show(events), r == null ? "ONE_GROUP" : "NO_EVENTS");
        return;
      }
      out.row(Schemas.COMPARISONS, row(analysis, "maintenance", "logrank",
          cells.show(subjects), cells.show(events))
          .set("statistic", finite(r.chiSquare())).set("df", 1).set("p_value", finite(r.p()))
          .build());
    }

    private void test(String analysis, String test, double statistic, int df, double p,
        Long participants, Long events) {
      out.row(Schemas.COMPARISONS, row(analysis, null, test, participants, events)
          .set("statistic", statistic).set("df", df).set("p_value", p)
          .build());
    }

    /** A row without numbers: not estimable, for the reason given. */
    private void comparison(String analysis, String term, String test, Long participants,
        Long events, String reason) {
      out.row(Schemas.COMPARISONS, row(analysis, term, test, participants, events)
          .set("estimable", false).set("reason", reason).build());
    }

    private Rows row(String analysis, String term, String test, Long participants,
        Long events) {
      return Rows.of(schema(Schemas.COMPARISONS))
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
