package org.longitude.pipeline;

import java.time.LocalDate;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.longitude.cohort.CohortConfig;
import org.longitude.cohort.ComputeCohorts;
import org.longitude.config.Study;
import org.longitude.config.StudyKey;
import org.longitude.deid.Deidentify;
import org.longitude.deid.SmallCells;
import org.longitude.extract.Extract;
import org.longitude.extract.RawResource;
import org.longitude.normalize.Normalize;
import org.longitude.normalize.QuarantineRecord;
import org.longitude.output.TimelineRows;
import org.longitude.output.WriteQuarantine;
import org.longitude.output.WriteTable;
import org.longitude.timeline.ResolveTimelines;
import org.longitude.timeline.Timeline;

/** Builds a study's pipeline graph: each stage one composite transform. */
public final class StudyPipeline {
  /** Shards of the observations table per measure, at least (more as rows grow). */
  static final int OBSERVATION_SHARDS = 2;

  private StudyPipeline() {}

  /** The stages' main outputs, for callers that want to look inside (tests). */
  public record Built(PCollection<Timeline> timelines, PCollectionTuple researchRows,
      PCollectionTuple cohortTables) {}

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
    return new Built(ingested.timelines(), ingested.researchRows(), cohorts);
  }

  /** The ingest's outputs: the kept timelines and the research rows written from them. */
  public record Ingested(PCollection<Timeline> timelines, PCollectionTuple researchRows) {}

  /**
   * The ingest: extract, normalize, de-identify and resolve timelines, writing the research
   * observations, participants and treatments and the restricted quarantine.
   */
  public static Ingested ingest(Pipeline pipeline, Study study, StudyKey key, RunLayout layout,
      LocalDate today) {
    return ingest(pipeline, study, key, layout, today, PullPlan.full(study, layout));
  }

  static Ingested ingest(Pipeline pipeline, Study study, StudyKey key, RunLayout layout,
      LocalDate today, PullPlan plan) {
    PCollection<RawResource> raw = pipeline.apply("Extract", plan.extract());
    PCollectionTuple normalized = raw.apply("Normalize", Normalize.with(study, today));
    PCollectionTuple timelines = normalized.get(Normalize.FACTS)
        .apply("Deidentify", Deidentify.with(study.deid(), key))
        .apply("ResolveTimelines",
            ResolveTimelines.withInitialCourseEnd(study.cohort().initialCourseEndDay())
                .withCatalog(study.catalog()));

    PCollectionList.of(normalized.get(Normalize.QUARANTINE))
        .and(timelines.get(ResolveTimelines.QUARANTINE))
        .apply("AllQuarantined", Flatten.<QuarantineRecord>pCollections())
        .apply("WriteQuarantine", WriteQuarantine.to(layout.data().quarantine()));

    PCollection<Timeline> kept = timelines.get(ResolveTimelines.TIMELINES);
    String research = layout.data().research();
    PCollectionTuple rows = kept.apply("ResearchRows",
        TimelineRows.with(study.deid(), study.catalog(), plan.dataRunId()));
    rows.get(TimelineRows.OBSERVATIONS).apply("WriteObservations",
        WriteTable.observations(research, OBSERVATION_SHARDS)
            .withPartitionSizes(TimelineRows.observationsPerMeasure(kept)));
    // Sharded like the observations, so a file's in-memory sort stays bounded as studies grow.
    for (TupleTag<GenericRecord> table : List.of(TimelineRows.PARTICIPANTS,
        TimelineRows.TREATMENTS)) {
      rows.get(table).apply("Write_" + table.getId(), WriteTable.of(table.getId(), research)
          .shardedBy("participant_id", 1));
    }
    return new Ingested(kept, rows);
  }

  /** The cohort stage: computes and writes the cohort tables from the kept timelines. */
  public static PCollectionTuple cohorts(PCollection<Timeline> timelines, Study study,
      RunLayout layout, String runId) {
    PCollectionTuple cohorts = timelines.apply("Cohort", ComputeCohorts.with(
        CohortConfig.from(study.cohort(), study.catalog()),
        new SmallCells(study.deid().smallCellMax()), runId));
    for (TupleTag<GenericRecord> table : List.of(ComputeCohorts.OUTCOMES,
        ComputeCohorts.SURVIVAL, ComputeCohorts.LANDMARKS, ComputeCohorts.COURSE_OUTCOMES,
        ComputeCohorts.ATTRITION)) {
      write(cohorts, table, layout.data().research());
    }
    return cohorts;
  }

  private static void write(PCollectionTuple tables, TupleTag<GenericRecord> table,
      String research) {
    tables.get(table).apply("Write_" + table.getId(), WriteTable.of(table.getId(), research));
  }
}
