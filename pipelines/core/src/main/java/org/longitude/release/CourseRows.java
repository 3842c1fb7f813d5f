package org.longitude.release;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.longitude.cohort.rules.Proportion;
import org.longitude.common.Schemas;

/**
 * The {@code course_outcomes} rates and the {@code attrition} flow of a condition, with small
 * cells withheld — and every count that would give one back through the counts beside it.
 * Not thread-safe.
 */
public final class CourseRows {
  private final SmallCells cells;
  private final String runId;
  private final Schema course = Schemas.load(Schemas.COURSE_OUTCOMES);
  private final Schema attrition = Schemas.load(Schemas.ATTRITION);

  public CourseRows(SmallCells cells, String runId) {
    this.cells = cells;
    this.runId = runId;
  }

  /** A rate with its Wilson interval (normal quantile {@code z}). */
  public GenericRecord courseOutcome(String condition, String measure, String metric, long num,
      long den, double z) {
    // The complement is suppressed too: with the denominator it gives the numerator back.
    boolean suppressed = cells.isSmall(num) || cells.isSmall(den) || cells.isSmall(den - num);
    Proportion p = Proportion.wilson(num, den, z);
    boolean show = !suppressed && den > 0;
    return Rows.of(course)
        .set("condition", condition).set("measure", measure).set("metric", metric)
        .set("numerator", suppressed ? null : num)
        .set("denominator", suppressed ? null : den)
        .set("rate", show ? p.estimate() : null)
        .set("ci_lower", show ? p.lower() : null)
        .set("ci_upper", show ? p.upper() : null)
        .set("suppressed", suppressed)
        .set("run_id", runId)
        .build();
  }

  /**
   * The flow, step by step. A small number excluded at a step would follow from the two
   * counts around it, so that step's count is withheld too, and then the next step's
   * exclusions (which would give it back).
   *
   * @param participants the participants left after each step, in flow order
   * @param reasons each step's exclusion reason (the first step's is not shown)
   */
  public List<GenericRecord> attrition(String condition, List<String> steps,
      List<Long> participants, List<String> reasons) {
    List<GenericRecord> rows = new ArrayList<>(steps.size());
    boolean previousHidden = false;
    for (int i = 0; i < steps.size(); i++) {
      long left = participants.get(i);
      long excluded = i == 0 ? 0 : participants.get(i - 1) - left;
      boolean hideExcluded = cells.isSmall(excluded) || previousHidden;
      boolean hideParticipants = cells.isSmall(left) || cells.isSmall(excluded);
      rows.add(Rows.of(attrition)
          .set("condition", condition)
          .set("step_order", i + 1)
          .set("step", steps.get(i))
          .set("participants", hideParticipants ? null : left)
          .set("excluded", i == 0 || hideExcluded ? null : excluded)
          .set("reason", i == 0 ? null : reasons.get(i))
          .set("suppressed", hideParticipants || (i > 0 && hideExcluded))
          .set("run_id", runId)
          .build());
      previousHidden = hideParticipants;
    }
    return rows;
  }
}
