package org.longitude.output;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.longitude.common.Rows;
import org.longitude.common.Schemas;
import org.longitude.config.DeidRules;
import org.longitude.config.MeasureCatalog;
import org.longitude.deid.SafeHarbor;
import org.longitude.timeline.Timeline;

/**
 * The participant-level research tables — {@code participants}, {@code observations},
 * {@code treatments} — from timelines, under tags named after the tables.
 */
public final class TimelineRows extends PTransform<PCollection<Timeline>, PCollectionTuple> {
  public static final TupleTag<GenericRecord> PARTICIPANTS = new TupleTag<>(Schemas.PARTICIPANTS) {};
  public static final TupleTag<GenericRecord> OBSERVATIONS = new TupleTag<>(Schemas.OBSERVATIONS) {};
  public static final TupleTag<GenericRecord> TREATMENTS = new TupleTag<>(Schemas.TREATMENTS) {};

  private final DeidRules rules;
  private final Map<String, String> loincTotals;
  private final String runId;

  private TimelineRows(DeidRules rules, Map<String, String> loincTotals, String runId) {
    this.rules = rules;
    this.loincTotals = loincTotals;
    this.runId = runId;
  }

  public static TimelineRows with(DeidRules rules, MeasureCatalog catalog, String runId) {
    Map<String, String> loinc = new HashMap<>();
    catalog.measures().forEach((id, m) -> {
      if (m.total() != null) {
        loinc.put(id, m.total());
      }
    });
    return new TimelineRows(rules, loinc, runId);
  }

  @Override
  public PCollectionTuple expand(PCollection<Timeline> timelines) {
    // One single-output step per table: a multi-output step would make Flink ship every row
    // to each table's branch and drop it there, serializing each row three times.
    PCollectionTuple rows = PCollectionTuple.empty(timelines.getPipeline());
    for (TupleTag<GenericRecord> tag : List.of(PARTICIPANTS, OBSERVATIONS, TREATMENTS)) {
      rows = rows.and(tag, timelines
          .apply("To_" + tag.getId(), ParDo.of(new RowsFn(tag.getId(), rules, loincTotals, runId)))
          .setCoder(AvroCoder.of(Schemas.load(tag.getId()))));
    }
    return rows;
  }

  /**
   * The observations table's rows per measure, counted from the timelines (cheaper to ship
   * than the rows), for {@link WriteTable#withPartitionSizes}.
   */
  public static PCollectionView<Map<String, Long>> observationsPerMeasure(
      PCollection<Timeline> timelines) {
    return timelines
        .apply("ScoresPerMeasure", ParDo.of(new ScoresPerMeasureFn()))
        .apply("SumPerMeasure", Sum.longsPerKey())
        .apply("AsMap", View.asMap());
  }

  private static final class ScoresPerMeasureFn extends DoFn<Timeline, KV<String, Long>> {
    @ProcessElement
    public void process(@Element Timeline t, OutputReceiver<KV<String, Long>> out) {
      Map<String, Long> counts = new HashMap<>();
      t.scores().forEach(s -> counts.merge(s.measure(), 1L, Long::sum));
      counts.forEach((measure, n) -> out.output(KV.of(measure, n)));
    }
  }

  /** The rows of one table from each timeline. */
  static final class RowsFn extends DoFn<Timeline, GenericRecord> {
    private final String table;
    private final DeidRules rules;
    private final Map<String, String> loincTotals;
    private final String runId;
    private transient SafeHarbor safeHarbor;
    private transient Schema schema;

    RowsFn(String table, DeidRules rules, Map<String, String> loincTotals, String runId) {
      this.table = table;
      this.rules = rules;
      this.loincTotals = loincTotals;
      this.runId = runId;
    }

    @Setup
    public void setup() {
      safeHarbor = new SafeHarbor(rules);
      schema = Schemas.load(table);
    }

    @ProcessElement
    public void process(@Element Timeline t, OutputReceiver<GenericRecord> out) {
      boolean fullDates = rules.dateMode() == DeidRules.DateMode.SHIFT;
      switch (table) {
        case Schemas.PARTICIPANTS -> out.output(participant(t, fullDates));
        case Schemas.OBSERVATIONS -> {
          for (Timeline.Score s : t.scores()) {
            out.output(Rows.of(schema)
                .set("participant_id", t.participantId())
                .set("clinic", t.clinic())
                .set("measure", s.measure())
                .set("loinc", loincTotals.get(s.measure()))
                .set("source_system", s.sourceSystem())
                .set("source_code", s.sourceCode())
                .set("score", s.score())
                .set("item_scores", new ArrayList<>(s.items()))
                .set("effective_date", fullDates ? s.date() : null)
                .set("effective_year", s.date().getYear())
                .set("days_since_index", s.daysSinceIndex())
                .set("record_id", s.recordId())
                .set("record_version", s.version().isEmpty() ? null : s.version())
                .set("run_id", runId)
                .build());
          }
        }
        case Schemas.TREATMENTS -> {
          for (Timeline.Treatment tr : t.treatments()) {
            out.output(Rows.of(schema)
                .set("participant_id", t.participantId())
                .set("clinic", t.clinic())
                .set("record_id", tr.recordId())
                .set("medication_system", tr.system())
                .set("medication_code", tr.code())
                .set("administration_date", fullDates ? tr.date() : null)
                .set("days_since_index", tr.daysSinceIndex())
                .set("phase", tr.booster() ? "booster" : "initial")
                .set("sequence", tr.sequence())
                .set("run_id", runId)
                .build());
          }
        }
        default -> throw new IllegalStateException("not a timeline table: " + table);
      }
    }

    private GenericRecord participant(Timeline t, boolean fullDates) {
      Integer age = safeHarbor.ageAt(t.birthDate(), t.indexDate(), t.ageCapDate());
      Integer lastDay = t.scores().stream().map(Timeline.Score::daysSinceIndex)
          .filter(java.util.Objects::nonNull).max(Integer::compare).orElse(null);
      return Rows.of(schema)
          .set("participant_id", t.participantId())
          .set("clinic", t.clinic())
          .set("sex", t.sex())
          .set("birth_year", t.birthDate() == null || safeHarbor.isCapped(age) ? null
              : t.birthDate().getYear())
          .set("age_at_index", age)
          .set("zip3", t.zip3())
          .set("index_date", fullDates ? t.indexDate() : null)
          .set("infusions", t.treatments().size())
          .set("boosters", t.boosters())
          .set("stratum", t.boosters() > 0 ? "maintenance" : "none")
          .set("last_observation_day", lastDay)
          .set("observations", t.scores().size())
          .set("run_id", runId)
          .build();
    }
  }
}
