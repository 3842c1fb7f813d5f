package org.longitude.cohort;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;
import org.longitude.cohort.rules.ComparisonSubject;
import org.longitude.cohort.rules.MaintenanceComparison;
import org.longitude.common.Schemas;
import org.longitude.release.ComparisonRows;
import org.longitude.release.SmallCells;

/**
 * Runs the maintenance comparison of one condition and measure on its responders' interval rows
 * ({@link MaintenanceComparison}) and has its tables released ({@link ComparisonRows}):
 * comparisons, ph_checks, balance and weighted_survival.
 */
final class CompareFn extends DoFn<KV<String, Iterable<ComparisonSubject>>, GenericRecord> {
  private static final Map<String, TupleTag<GenericRecord>> TAGS = Map.of(
      Schemas.COMPARISONS, ComputeCohorts.COMPARISONS,
      Schemas.PH_CHECKS, ComputeCohorts.PH_CHECKS,
      Schemas.BALANCE, ComputeCohorts.BALANCE,
      Schemas.WEIGHTED_SURVIVAL, ComputeCohorts.WEIGHTED_SURVIVAL);

  private final CohortConfig config;
  private final SmallCells cells;
  private final String runId;
  private transient ComparisonRows rows;

  CompareFn(CohortConfig config, SmallCells cells, String runId) {
    this.config = config;
    this.cells = cells;
    this.runId = runId;
  }

  @Setup
  public void setup() {
    rows = new ComparisonRows(cells, config.rules().confidenceZ(), runId);
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
    rows.release(key[0], key[1], result, (table, row) -> out.get(TAGS.get(table)).output(row));
  }
}
