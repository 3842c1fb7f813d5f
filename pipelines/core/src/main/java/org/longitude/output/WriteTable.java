package org.longitude.output;

import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.longitude.common.BufferedCoder;
import org.longitude.common.CountPerKey;

/**
 * Writes one research table's rows as Parquet (snappy) and Avro files in
 * {@code <dir>/<table>/}, laid out as its {@link TableLayout} says. For tables computed as
 * rows (the cohort tables) or as batches of a file's rows ({@link #fromBatches}: a study
 * view's, a participant's rows each); the participant-level tables are written from timelines
 * by {@link WriteTimelineTables}, which ships a participant's rows as one batch.
 */
public final class WriteTable extends PTransform<PCollection<GenericRecord>, PDone> {
  /**
   * Row groups of at most 20k rows: a sorted file then has several row groups, each covering
   * a narrow slice of participant ids, so readers skip row groups on a participant filter by
   * their min/max statistics; 20k rows is still about a megabyte of column data per group,
   * large enough for fast scans. The byte limit only matters for unexpectedly wide rows.
   */
  static final int ROW_GROUP_ROWS = 20_000;
  static final int ROW_GROUP_BYTES = 64 * 1024 * 1024;
  /** Pages of at most 2k rows: page indexes narrow a participant lookup further. */
  static final int PAGE_ROWS = 2_000;
  /** The standard 3-level LIST layout: nullable items, read alike by Spark, DuckDB, pandas. */
  public static final Map<String, String> PARQUET_CONFIG =
      Map.of("parquet.avro.write-old-list-structure", "false");

  private final TableLayout layout;
  private final String dir;
  /** The rows' schema (JSON) when it is derived rather than in schemas/, else null. */
  private final String schema;

  private WriteTable(TableLayout layout, String dir, String schema) {
    this.layout = layout;
    this.dir = dir;
    this.schema = schema;
  }

  /** One file of each format, rows in the order of all their fields (aggregate tables). */
  public static WriteTable of(String table, String researchDir) {
    return new WriteTable(TableLayout.of(table), researchDir, null);
  }

  /** The table laid out as {@code layout} says. */
  public static WriteTable as(TableLayout layout, String researchDir) {
    return new WriteTable(layout, researchDir, null);
  }

  /** Rows of a table whose schema (JSON) is derived, not in schemas/ (a study view's). */
  public WriteTable withSchema(String schemaJson) {
    return new WriteTable(layout, dir, schemaJson);
  }

  @Override
  public PDone expand(PCollection<GenericRecord> rows) {
    String table = layout.table();
    return rows.apply("AsBatches", MapElements.into(TypeDescriptor.of(RowBatch.class))
            .via(row -> new RowBatch(table, List.of(row))))
        .setCoder(batchCoder())
        .apply(fromBatches());
  }

  /**
   * The table written from batches of rows, each batch's rows of one file: a participant's
   * rows of a table sharded by participant, say (a study view's), shipped as one element.
   */
  public PTransform<PCollection<RowBatch>, PDone> fromBatches() {
    return new Batches();
  }

  private BufferedCoder<RowBatch> batchCoder() {
    return BufferedCoder.of(schema == null ? RowBatchCoder.of()
        : RowBatchCoder.withSchema(layout.table(), schema));
  }

  private final class Batches extends PTransform<PCollection<RowBatch>, PDone> {
    @Override
    public PDone expand(PCollection<RowBatch> batches) {
      TableLayout table = layout;
      PCollectionView<Map<String, Long>> sizes = !layout.sharded() ? null : batches
          .apply("RowsPerPartition", CountPerKey.weighted(
              b -> table.sizeKey(table.partitionOf(b.rows().get(0))),
              b -> (long) b.rows().size()))
          .apply("AsMap", View.asMap());
      ParDo.SingleOutput<RowBatch, KV<String, RowBatch>> keyByFile =
          ParDo.of(new KeyByFileFn(layout, sizes));
      return batches
          .apply("KeyByFile", sizes == null ? keyByFile : keyByFile.withSideInputs(sizes))
          .setCoder(KvCoder.of(StringUtf8Coder.of(), batchCoder()))
          .apply(new WriteFiles(dir, List.of(layout)));
    }
  }

  /** Keys each batch by its file (its first row's: a batch's rows share one). */
  private static final class KeyByFileFn extends DoFn<RowBatch, KV<String, RowBatch>> {
    private final TableLayout layout;
    private final PCollectionView<Map<String, Long>> sizes;
    private transient FileKeys files;
    /** The side input, read once per bundle: a lookup per row was a third of this step. */
    private transient Map<String, Long> sizesOfBundle;

    KeyByFileFn(TableLayout layout, PCollectionView<Map<String, Long>> sizes) {
      this.layout = layout;
      this.sizes = sizes;
    }

    @StartBundle
    public void startBundle() {
      files = new FileKeys(layout);
      sizesOfBundle = null;
    }

    @ProcessElement
    public void process(@Element RowBatch batch, ProcessContext c) {
      if (sizes != null && sizesOfBundle == null) {
        sizesOfBundle = c.sideInput(sizes); // research tables live in the global window
      }
      c.output(KV.of(files.of(batch.rows().get(0), sizesOfBundle), batch));
    }
  }
}
