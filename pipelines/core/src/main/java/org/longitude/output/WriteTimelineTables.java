package org.longitude.output;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
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
import org.apache.beam.sdk.values.TupleTagList;
import org.longitude.common.BufferedCoder;
import org.longitude.common.Schemas;
import org.longitude.config.DeidRules;
import org.longitude.config.MeasureCatalog;
import org.longitude.release.TimelineRows;
import org.longitude.timeline.Resolved;
import org.longitude.timeline.Timeline;

/**
 * Writes the participant-level research tables — {@code participants}, {@code observations},
 * {@code treatments} — from timelines. Each timeline's rows are built by the release ({@link
 * TimelineRows}) where the timeline is,
 * and shipped to their files as one {@link RowBatch} per file (a participant's rows of a
 * table and partition share a file), all three tables through one grouping.
 *
 * <p>The ledgers that came with the timelines ({@link Resolved}) are handed out, one element
 * per key, by the step that counts the rows: it sees every element once and its outputs are
 * small, so a second output costs nothing there. The returned collection holds them.
 */
public final class WriteTimelineTables
    extends PTransform<PCollection<Resolved>, PCollection<KV<String, Long>>> {
  private static final TupleTag<KV<String, Long>> ROWS = new TupleTag<>() {};
  private static final TupleTag<KV<String, Long>> LEDGER = new TupleTag<>() {};
  /** Shards of the observations table per measure, at least (more as rows grow). */
  static final int OBSERVATION_SHARDS = 2;
  /** Sharded by participant, so a file's in-memory sort stays bounded as studies grow. */
  static final TableLayout PARTICIPANTS =
      TableLayout.of(Schemas.PARTICIPANTS).shardedBy("participant_id", 1);
  static final TableLayout TREATMENTS =
      TableLayout.of(Schemas.TREATMENTS).shardedBy("participant_id", 1);
  /** Files per measure, rows sorted by participant, then day (see README, "Outputs"). */
  static final TableLayout OBSERVATIONS = TableLayout.of(Schemas.OBSERVATIONS)
      .partitionedBy("measure")
      .shardedBy("participant_id", OBSERVATION_SHARDS)
      .sortedBy("participant_id", "effective_year", "effective_date", "days_since_index");

  private final String dir;
  private final DeidRules rules;
  private final Map<String, String> loincTotals;
  private final String runId;

  private WriteTimelineTables(String dir, DeidRules rules, Map<String, String> loincTotals,
      String runId) {
    this.dir = dir;
    this.rules = rules;
    this.loincTotals = loincTotals;
    this.runId = runId;
  }

  /** The tables into {@code <researchDir>/<table>/}, stamped with {@code runId}. */
  public static WriteTimelineTables to(String researchDir, DeidRules rules,
      MeasureCatalog catalog, String runId) {
    return new WriteTimelineTables(researchDir, rules, TimelineRows.loincTotals(catalog), runId);
  }

  @Override
  public PCollection<KV<String, Long>> expand(PCollection<Resolved> resolved) {
    PCollectionTuple counted = resolved.apply("RowsPerPartition",
        ParDo.of(new RowsPerPartitionFn()).withOutputTags(ROWS, TupleTagList.of(LEDGER)));
    PCollectionView<Map<String, Long>> sizes = counted.get(ROWS)
        .apply("SumPerPartition", Sum.longsPerKey())
        .apply("AsMap", View.asMap());
    resolved
        .apply("RowsByFile", ParDo.of(new RowsByFileFn(rules, loincTotals, runId, sizes))
            .withSideInputs(sizes))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), BufferedCoder.of(RowBatchCoder.of())))
        .apply(new WriteFiles(dir, List.of(PARTICIPANTS, OBSERVATIONS, TREATMENTS)));
    return counted.get(LEDGER);
  }

  /**
   * Counts each table's rows per partition from the timelines, without building them (the
   * counts decide the files before any row is keyed): one participant row per timeline, one
   * treatment row per treatment, one observation row per score, partitioned by measure. Hands
   * out a ledger's entries as its second output.
   */
  private static final class RowsPerPartitionFn extends DoFn<Resolved, KV<String, Long>> {
    @ProcessElement
    public void process(@Element Resolved r, MultiOutputReceiver outputs) {
      if (r.isLedger()) {
        r.ledger().entries().forEach((key, n) -> outputs.get(LEDGER).output(KV.of(key, n)));
        return;
      }
      Timeline t = r.timeline();
      OutputReceiver<KV<String, Long>> out = outputs.get(ROWS);
      out.output(KV.of(PARTICIPANTS.sizeKey(PARTICIPANTS.table()), 1L));
      if (!t.treatments().isEmpty()) {
        out.output(KV.of(TREATMENTS.sizeKey(TREATMENTS.table()), (long) t.treatments().size()));
      }
      Map<String, Long> perMeasure = new HashMap<>();
      t.scores().forEach(s -> perMeasure.merge(s.measure(), 1L, Long::sum));
      perMeasure.forEach((measure, n) -> out.output(KV.of(OBSERVATIONS.sizeKey(measure), n)));
    }
  }

  /** Has a timeline's rows of the three tables built and keys them by file, one batch per file. */
  static final class RowsByFileFn extends DoFn<Resolved, KV<String, RowBatch>> {
    private final DeidRules rules;
    private final Map<String, String> loincTotals;
    private final String runId;
    private final PCollectionView<Map<String, Long>> sizes;
    private transient TimelineRows rows;
    private transient Map<TableLayout, FileKeys> files;

    RowsByFileFn(DeidRules rules, Map<String, String> loincTotals, String runId,
        PCollectionView<Map<String, Long>> sizes) {
      this.rules = rules;
      this.loincTotals = loincTotals;
      this.runId = runId;
      this.sizes = sizes;
    }

    @Setup
    public void setup() {
      rows = new TimelineRows(rules, loincTotals, runId);
    }

    @StartBundle
    public void startBundle() {
      files = new HashMap<>(); // the side input may differ between bundles on some runners
      for (TableLayout layout : List.of(PARTICIPANTS, OBSERVATIONS, TREATMENTS)) {
        files.put(layout, new FileKeys(layout));
      }
    }

    @ProcessElement
    public void process(@Element Resolved r, ProcessContext c) {
      if (r.isLedger()) {
        return; // handed out by RowsPerPartitionFn
      }
      Timeline t = r.timeline();
      output(PARTICIPANTS, List.of(rows.participant(t)), c);
      if (!t.treatments().isEmpty()) {
        output(TREATMENTS, rows.treatments(t), c);
      }
      Map<String, List<GenericRecord>> byMeasure = new LinkedHashMap<>();
      for (Timeline.Score s : t.scores()) {
        byMeasure.computeIfAbsent(s.measure(), m -> new ArrayList<>())
            .add(rows.observation(t, s));
      }
      byMeasure.values().forEach(batch -> output(OBSERVATIONS, batch, c));
    }

    /** One batch: rows of one participant and table partition, hence of one file. */
    private void output(TableLayout layout, List<GenericRecord> rows, ProcessContext c) {
      c.output(KV.of(files.get(layout).of(rows.get(0), c.sideInput(sizes)),
          new RowBatch(layout.table(), rows)));
    }
  }
}
