package org.longitude.cohort;

import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.longitude.common.Schemas;
import org.longitude.deid.SmallCells;
import org.longitude.timeline.Timeline;

/**
 * The cohort stage: timelines in; the {@code outcomes}, {@code survival}, {@code landmarks},
 * {@code course_outcomes} and {@code attrition} tables out, each under the tag of its name.
 */
public final class ComputeCohorts extends PTransform<PCollection<Timeline>, PCollectionTuple> {
  public static final TupleTag<GenericRecord> OUTCOMES = new TupleTag<>(Schemas.OUTCOMES) {};
  public static final TupleTag<GenericRecord> SURVIVAL = new TupleTag<>(Schemas.SURVIVAL) {};
  public static final TupleTag<GenericRecord> LANDMARKS = new TupleTag<>(Schemas.LANDMARKS) {};
  public static final TupleTag<GenericRecord> COURSE_OUTCOMES =
      new TupleTag<>(Schemas.COURSE_OUTCOMES) {};
  public static final TupleTag<GenericRecord> ATTRITION = new TupleTag<>(Schemas.ATTRITION) {};
  static final TupleTag<org.apache.beam.sdk.values.KV<String, StrataCounts>> CURVES =
      new TupleTag<>() {};
  static final TupleTag<org.apache.beam.sdk.values.KV<String, Tally>> TALLIES =
      new TupleTag<>() {};

  private final CohortConfig config;
  private final SmallCells smallCells;
  private final String runId;

  private ComputeCohorts(CohortConfig config, SmallCells smallCells, String runId) {
    this.config = config;
    this.smallCells = smallCells;
    this.runId = runId;
  }

  public static ComputeCohorts with(CohortConfig config, SmallCells smallCells, String runId) {
    return new ComputeCohorts(config, smallCells, runId);
  }

  @Override
  public PCollectionTuple expand(PCollection<Timeline> timelines) {
    PCollectionTuple evaluated = timelines.apply("EvaluateParticipants",
        ParDo.of(new EvaluateFn(config, runId))
            .withOutputTags(OUTCOMES, TupleTagList.of(CURVES).and(TALLIES)));
    PCollection<GenericRecord> outcomes = evaluated.get(OUTCOMES)
        .setCoder(AvroCoder.of(Schemas.load(Schemas.OUTCOMES)));

    PCollectionTuple curves = evaluated.get(CURVES)
        .setCoder(KvCoder.of(StringUtf8Coder.of(), CountsCoders.StrataCountsCoder.INSTANCE))
        .apply("CombineCurveCounts", Combine.perKey(new StrataCounts.CombineFn()))
        .apply("FitCurves", ParDo.of(new CurveRowsFn(config, smallCells, runId))
            .withOutputTags(SURVIVAL, TupleTagList.of(LANDMARKS)));
    PCollectionTuple tallies = evaluated.get(TALLIES)
        .setCoder(KvCoder.of(StringUtf8Coder.of(), CountsCoders.TallyCoder.INSTANCE))
        .apply("CombineTallies", Combine.perKey(new Tally.CombineFn()))
        .apply("RateAndFlow", ParDo.of(new TallyRowsFn(config, smallCells, runId))
            .withOutputTags(COURSE_OUTCOMES, TupleTagList.of(ATTRITION)));

    return PCollectionTuple.of(OUTCOMES, outcomes)
        .and(SURVIVAL, withSchema(curves.get(SURVIVAL), Schemas.SURVIVAL))
        .and(LANDMARKS, withSchema(curves.get(LANDMARKS), Schemas.LANDMARKS))
        .and(COURSE_OUTCOMES, withSchema(tallies.get(COURSE_OUTCOMES), Schemas.COURSE_OUTCOMES))
        .and(ATTRITION, withSchema(tallies.get(ATTRITION), Schemas.ATTRITION));
  }

  private static PCollection<GenericRecord> withSchema(PCollection<GenericRecord> rows,
      String table) {
    return rows.setCoder(AvroCoder.of(Schemas.load(table)));
  }
}
