package org.longitude.cohort;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.longitude.release.CourseRows;
import org.longitude.release.SmallCells;

/** Turns one condition's tallies into course-outcome rates and the attrition flow. */
final class TallyRowsFn extends DoFn<KV<String, Tally>, GenericRecord> {
  private final CohortConfig config;
  private final SmallCells cells;
  private final String runId;
  private transient CourseRows rows;

  TallyRowsFn(CohortConfig config, SmallCells cells, String runId) {
    this.config = config;
    this.cells = cells;
    this.runId = runId;
  }

  @Setup
  public void setup() {
    rows = new CourseRows(cells, runId);
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
      out.get(ComputeCohorts.COURSE_OUTCOMES).output(rows.courseOutcome(condition, measure,
          metric, tally.get(metric + ".num"), tally.get(metric + ".den"),
          config.rules().confidenceZ()));
    }
    List<String> steps = EvaluateFn.Steps.ORDER;
    rows.attrition(condition, steps, steps.stream().map(tally::get).toList(),
        EvaluateFn.Steps.REASONS).forEach(out.get(ComputeCohorts.ATTRITION)::output);
  }
}
