package org.longitude.pipeline;

import java.time.LocalDate;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.longitude.cohort.CohortConfig;
import org.longitude.cohort.ComputeCohorts;
import org.longitude.common.BufferedCoder;
import org.longitude.common.Schemas;
import org.longitude.config.Study;
import org.longitude.config.StudyKey;
import org.longitude.deid.Deidentify;
import org.longitude.extract.RawResource;
import org.longitude.normalize.Normalize;
import org.longitude.output.TableLayout;
import org.longitude.output.WriteTable;
import org.longitude.output.WriteTimelineTables;
import org.longitude.timeline.Resolved;
import org.longitude.timeline.ResolveTimelines;
import org.longitude.timeline.Timeline;
import org.longitude.timeline.TimelineCoder;
import org.longitude.views.ReleasedView;
import org.longitude.views.RunViews;
import org.longitude.views.StudyViews;

/** Builds a study's pipeline graph: each stage one composite transform. */
public final class StudyPipeline {
  private StudyPipeline() {}

  /** The stages' main outputs, for callers that want to look inside (tests). */
  public record Built(PCollection<Timeline> timelines, PCollectionTuple cohortTables) {}

  /**
   * Adds the whole study to {@code pipeline}: the ingest, then the cohort stage.
   *
   * @param today the run's reference day (later scores are quarantined as future-dated)
   */
  public static Built build(Pipeline pipeline, Study study, StudyKey key, RunLayout layout,
      LocalDate today) {
    return build(pipeline, study, key, layout, today, PullPlan.full(study, layout));
  }

  /** Adds the study with its data from {@code plan} (full, incremental or from a landing). */
  static Built build(Pipeline pipeline, Study study, StudyKey key, RunLayout layout,
      LocalDate today, PullPlan plan) {
    Ingested ingested = ingest(pipeline, study, key, layout, today, plan);
    PCollectionTuple cohorts = cohorts(ingested.timelines(), study, layout, plan.dataRunId());
    return new Built(ingested.timelines(), cohorts);
  }

  /** The ingest's output: the kept timelines (their research tables are being written). */
  public record Ingested(PCollection<Timeline> timelines) {}

  /**
   * The ingest: extract, normalize, de-identify and resolve timelines, writing the research
   * observations, participants and treatments, the restricted quarantine and the run's ledger
   * ({@link LedgerFile}); and the study's views, from the extracted resources.
   */
  public static Ingested ingest(Pipeline pipeline, Study study, StudyKey key, RunLayout layout,
      LocalDate today) {
    return ingest(pipeline, study, key, layout, today, PullPlan.full(study, layout));
  }

  static Ingested ingest(Pipeline pipeline, Study study, StudyKey key, RunLayout layout,
      LocalDate today, PullPlan plan) {
    String quarantine = layout.data().quarantine();
    PCollection<RawResource> raw = pipeline.apply("Extract", plan.extract());
    List<ReleasedView> views = StudyViews.check(study.viewsOrEmpty(), study.deid());
    if (!views.isEmpty()) { // study-defined tables, from the raw resources, de-identified
      raw.apply("Views", RunViews.of(views, study.deid(), key, layout.data().research(),
          plan.dataRunId()));
    }
    PCollection<Resolved> resolved = raw
        .apply("Normalize", Normalize.with(study, today, quarantine))
        .apply("Deidentify", Deidentify.with(study.deid(), key))
        .apply("ResolveTimelines", ResolveTimelines.with(
            study.cohort().initialCourseEndDay(), study.catalog(), quarantine));
    // Every step's ledger travelled with the records; the table writer hands them out.
    resolved
        .apply("WriteTimelineTables", WriteTimelineTables.to(
            layout.data().research(), study.deid(), study.catalog(), plan.dataRunId()))
        .apply("WriteLedger", LedgerFile.write(layout.data().ledger()));
    PCollection<Timeline> kept = resolved.apply("Timelines", ParDo.of(new TimelinesFn()))
        .setCoder(BufferedCoder.of(TimelineCoder.of()));
    return new Ingested(kept);
  }

  /** The timelines alone, for the cohort stage (one step with it: no elements shipped). */
  private static final class TimelinesFn extends DoFn<Resolved, Timeline> {
    @ProcessElement
    public void process(@Element Resolved r, OutputReceiver<Timeline> out) {
      if (!r.isLedger()) {
        out.output(r.timeline());
      }
    }
  }

  /** The cohort stage: computes and writes the cohort tables from the kept timelines. */
  public static PCollectionTuple cohorts(PCollection<Timeline> timelines, Study study,
      RunLayout layout, String runId) {
    PCollectionTuple cohorts = timelines.apply("Cohort", ComputeCohorts.with(
        CohortConfig.from(study.cohort(), study.catalog()), study.deid(), runId));
    String research = layout.data().research();
    // Rows per participant and condition: sharded like the participant tables, so a file's
    // in-memory sort stays bounded as studies grow.
    for (TupleTag<GenericRecord> table : List.of(ComputeCohorts.OUTCOMES,
        ComputeCohorts.INTERVALS)) {
      cohorts.get(table).apply("Write_" + table.getId(), WriteTable.as(
          TableLayout.of(table.getId()).shardedBy("participant_id", 1), research));
    }
    for (TupleTag<GenericRecord> table : ComputeCohorts.AGGREGATES) {
      write(cohorts, table, research);
    }
    return cohorts;
  }

  private static void write(PCollectionTuple tables, TupleTag<GenericRecord> table,
      String research) {
    tables.get(table).apply("Write_" + table.getId(), WriteTable.of(table.getId(), research));
  }
}
