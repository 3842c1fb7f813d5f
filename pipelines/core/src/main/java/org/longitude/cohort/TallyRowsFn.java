package org.longitude.cohort;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.longitude.cohort.rules.Proportion;
import org.longitude.common.Rows;
import org.longitude.common.Schemas;
import org.longitude.deid.SmallCells;

/** Turns one condition's tallies into course-outcome rates and the attrition flow. */
final class TallyRowsFn extends DoFn<KV<String, Tally>, GenericRecord> {
  private final CohortConfig config;
  private final SmallCells cells;
  private final String runId;
  private transient Schema course;
  private transient Schema attrition;

  TallyRowsFn(CohortConfig config, SmallCells cells, String runId) {
    this.config = config;
    this.cells = cells;
    this.runId = runId;
  }

  @Setup
  public void setup() {
    course = Schemas.load(Schemas.COURSE_OUTCOMES);
    attrition = Schemas.load(Schemas.ATTRITION);
  }

  @ProcessElement
  public void process(@Element KV<String, Tally> entry, MultiOutputReceiver out) {
    String condition = entry.getKey();
    Tally tally = entry.getValue();
    String measure = config.conditions().get(condition).measure();
    List<String> metrics = new ArrayList<>(List.of("response", "remission"));
    if (config.suicidalIdeationItem().containsKey(measure)) {
      config.rules().siResolutionDays().forEach(d -> metrics.add("si_resolved_day" + d));
    }
    for (String metric : metrics) {
      long num = tally.get(metric + ".num");
      long den = tally.get(metric + ".den");
      // The complement is suppressed too: with the denominator it gives the numerator back.
      boolean suppressed = cells.isSmall(num) || cells.isSmall(den) || cells.isSmall(den - num);
      Proportion p = Proportion.wilson(num, den, config.rules().confidenceZ());
      boolean show = !suppressed && den > 0;
      out.get(ComputeCohorts.COURSE_OUTCOMES).output(Rows.of(course)
          .set("condition", condition).set("measure", measure).set("metric", metric)
          .set("numerator", suppressed ? null : num)
          .set("denominator", suppressed ? null : den)
          .set("rate", show ? p.estimate() : null)
          .set("ci_lower", show ? p.lower() : null)
          .set("ci_upper", show ? p.upper() : null)
          .set("suppressed", suppressed)
          .set("run_id", runId)
          .build());
    }
    attritionRows(condition, tally, out);
  }

  /**
   * The flow, step by step. A small number excluded at a step would follow from the two
   * counts around it, so that step's count is withheld too, and then the next step's
   * exclusions (which would give it back).
   */
  private void attritionRows(String condition, Tally tally, MultiOutputReceiver out) {
    List<String> steps = EvaluateFn.Steps.ORDER;
    boolean previousHidden = false;
    for (int i = 0; i < steps.size(); i++) {
      long participants = tally.get(steps.get(i));
      long excluded = i == 0 ? 0 : tally.get(steps.get(i - 1)) - participants;
      boolean hideExcluded = cells.isSmall(excluded) || previousHidden;
      boolean hideParticipants = cells.isSmall(participants) || cells.isSmall(excluded);
      out.get(ComputeCohorts.ATTRITION).output(Rows.of(attrition)
          .set("condition", condition)
          .set("step_order", i + 1)
          .set("step", steps.get(i))
          .set("participants", hideParticipants ? null : participants)
          .set("excluded", i == 0 || hideExcluded ? null : excluded)
          .set("reason", i == 0 ? null : EvaluateFn.Steps.REASONS.get(i))
          .set("suppressed", hideParticipants || (i > 0 && hideExcluded))
          .set("run_id", runId)
          .build());
      previousHidden = hideParticipants;
    }
  }
}
