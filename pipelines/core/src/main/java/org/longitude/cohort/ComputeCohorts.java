package org.longitude.cohort;

import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.longitude.cohort.rules.ComparisonSubject;
import org.longitude.common.Schemas;
import org.longitude.config.DeidRules;
import org.longitude.release.SmallCells;
import org.longitude.timeline.Timeline;

/**
 * The cohort stage: timelines in; the {@code outcomes}, {@code survival}, {@code landmarks},
 * {@code course_outcomes} and {@code attrition} tables out, and the maintenance comparison's
 * {@code intervals}, {@code comparisons}, {@code ph_checks}, {@code balance} and {@code
 * weighted_survival}, each under the tag of its name.
 */
public final class ComputeCohorts extends PTransform<PCollection<Timeline>, PCollectionTuple> {
  public static final TupleTag<GenericRecord> OUTCOMES = new TupleTag<>(Schemas.OUTCOMES) {};
  public static final TupleTag<GenericRecord> SURVIVAL = new TupleTag<>(Schemas.SURVIVAL) {};
  public static final TupleTag<GenericRecord> LANDMARKS = new TupleTag<>(Schemas.LANDMARKS) {};
  public static final TupleTag<GenericRecord> COURSE_OUTCOMES =
      new TupleTag<>(Schemas.COURSE_OUTCOMES) {};
  public static final TupleTag<GenericRecord> ATTRITION = new TupleTag<>(Schemas.ATTRITION) {};
  public static final TupleTag<GenericRecord> INTERVALS = new TupleTag<>(Schemas.INTERVALS) {};
  public static final TupleTag<GenericRecord> COMPARISONS =
      new TupleTag<>(Schemas.COMPARISONS) {};
  public static final TupleTag<GenericRecord> PH_CHECKS = new TupleTag<>(Schemas.PH_CHECKS) {};
  public static final TupleTag<GenericRecord> BALANCE = new TupleTag<>(Schemas.BALANCE) {};
  public static final TupleTag<GenericRecord> WEIGHTED_SURVIVAL =
      new TupleTag<>(Schemas.WEIGHTED_SURVIVAL) {};
  /** Every aggregate table of the stage (all but the per-participant outcomes, intervals). */
  public static final List<TupleTag<GenericRecord>> AGGREGATES = List.of(SURVIVAL, LANDMARKS,
      COURSE_OUTCOMES, ATTRITION, COMPARISONS, PH_CHECKS, BALANCE, WEIGHTED_SURVIVAL);
  static final TupleTag<KV<String, ComparisonSubject>> SUBJECTS = new TupleTag<>() {};
  static final TupleTag<KV<String, StrataCounts>> CURVES = new TupleTag<>() {};
  static final TupleTag<KV<String, Tally>> TALLIES = new TupleTag<>() {};

  private final CohortConfig config;
  private final DeidRules deid;
  private final SmallCells smallCells;
  private final String runId;

  private ComputeCohorts(CohortConfig config, DeidRules deid, String runId) {
    this.config = config;
    this.deid = deid;
    this.smallCells = new SmallCells(deid.smallCellMax());
    this.runId = runId;
  }

  /** @param deid the ages' cap and the small-cell threshold */
  public static ComputeCohorts with(CohortConfig config, DeidRules deid, String runId) {
    return new ComputeCohorts(config, deid, runId);
  }

  @Override
  public PCollectionTuple expand(PCollection<Timeline> timelines) {
    PCollectionTuple evaluated = timelines.apply("EvaluateParticipants",
        ParDo.of(new EvaluateFn(config, deid, runId))
            .withOutputTags(OUTCOMES, TupleTagList.of(CURVES).and(TALLIES).and(SUBJECTS)
                .and(INTERVALS)));
    PCollection<GenericRecord> outcomes = evaluated.get(OUTCOMES)
        .setCoder(AvroCoder.of(Schemas.load(Schemas.OUTCOMES)));

    PCollectionTuple curves = evaluated.get(CURVES)
        .setCoder(KvCoder.of(StringUtf8Coder.of(), CountsCoders.StrataCountsCoder.INSTANCE))
        .apply("CombineCurveCounts", Combine.perKey(StrataCounts.sum()))
        .apply("FitCurves", ParDo.of(new CurveRowsFn(config, smallCells, runId))
            .withOutputTags(SURVIVAL, TupleTagList.of(LANDMARKS)));
    PCollectionTuple tallies = evaluated.get(TALLIES)
        .setCoder(KvCoder.of(StringUtf8Coder.of(), CountsCoders.TallyCoder.INSTANCE))
        .apply("CombineTallies", Combine.perKey(Tally.sum()))
        .apply("RateAndFlow", ParDo.of(new TallyRowsFn(config, smallCells, runId))
            .withOutputTags(COURSE_OUTCOMES, TupleTagList.of(ATTRITION)));

    // The comparison is one fit over all of a condition's responders: their interval rows
    // (a few per responder, compact) meet on one worker per condition; timelines never do.
    PCollectionTuple compared = evaluated.get(SUBJECTS)
        .setCoder(KvCoder.of(StringUtf8Coder.of(), ComparisonSubjectCoder.INSTANCE))
        .apply("GroupRespondersByCondition", GroupByKey.create())
        .apply("CompareMaintenance", ParDo.of(new CompareFn(config, smallCells, runId))
            .withOutputTags(COMPARISONS, TupleTagList.of(PH_CHECKS).and(BALANCE)
                .and(WEIGHTED_SURVIVAL)));

    return PCollectionTuple.of(OUTCOMES, outcomes)
        .and(INTERVALS, withSchema(evaluated.get(INTERVALS), Schemas.INTERVALS))
        .and(SURVIVAL, withSchema(curves.get(SURVIVAL), Schemas.SURVIVAL))
        .and(LANDMARKS, withSchema(curves.get(LANDMARKS), Schemas.LANDMARKS))
        .and(COURSE_OUTCOMES, withSchema(tallies.get(COURSE_OUTCOMES), Schemas.COURSE_OUTCOMES))
        .and(ATTRITION, withSchema(tallies.get(ATTRITION), Schemas.ATTRITION))
        .and(COMPARISONS, withSchema(compared.get(COMPARISONS), Schemas.COMPARISONS))
        .and(PH_CHECKS, withSchema(compared.get(PH_CHECKS), Schemas.PH_CHECKS))
        .and(BALANCE, withSchema(compared.get(BALANCE), Schemas.BALANCE))
        .and(WEIGHTED_SURVIVAL,
            withSchema(compared.get(WEIGHTED_SURVIVAL), Schemas.WEIGHTED_SURVIVAL));
  }

  private static PCollection<GenericRecord> withSchema(PCollection<GenericRecord> rows,
      String table) {
    return rows.setCoder(AvroCoder.of(Schemas.load(table)));
  }
}
