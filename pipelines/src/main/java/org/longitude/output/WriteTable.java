package org.longitude.output;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.util.MimeTypes;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.longitude.common.Schemas;
import org.longitude.common.StagedFile;

/**
 * Writes one research table as Parquet (snappy) and Avro files in {@code <dir>/<table>/},
 * each file's rows in a stable {@link RowOrder}, so the same rows always give byte-identical
 * files under the same names.
 *
 * <p>A partitioned table puts each partition's rows in files named after it
 * ({@code PHQ9-00000-of-00002.parquet}), so {@code research/*}{@code /*.parquet} still reads
 * every table. A sharded table spreads a partition over files by a hash of the shard field
 * (the participant), so one participant's rows live in one file; the shard count grows with
 * the partition's rows ({@link #MAX_ROWS_PER_FILE}), which bounds the rows a writer sorts in
 * memory however large the study grows.
 */
public final class WriteTable extends PTransform<PCollection<GenericRecord>, PDone> {
  /**
   * Rows per file, about (the hash spreads participants, not rows, evenly). A file's rows are
   * sorted in memory: 100k rows of the widest table take about 100 MB.
   */
  static final int MAX_ROWS_PER_FILE = 100_000;
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

  private final String table;
  private final String dir;
  private final String partitionField;
  private final String shardField;
  private final int minShards;
  private final List<String> sortKeys;
  /** Rows per partition when known upstream; null: counted from the rows. */
  private final PCollectionView<Map<String, Long>> partitionSizes;

  private WriteTable(String table, String dir, String partitionField, String shardField,
      int minShards, List<String> sortKeys, PCollectionView<Map<String, Long>> partitionSizes) {
    this.table = table;
    this.dir = dir;
    this.partitionField = partitionField;
    this.shardField = shardField;
    this.minShards = minShards;
    this.sortKeys = sortKeys;
    this.partitionSizes = partitionSizes;
  }

  /** One file of each format, rows in the order of all their fields (aggregate tables). */
  public static WriteTable of(String table, String researchDir) {
    return new WriteTable(table, researchDir, null, null, 1, List.of(), null);
  }

  /**
   * The observations table: files per measure, participants hashed to at least
   * {@code minShards} files per measure, rows sorted by participant, then day.
   */
  public static WriteTable observations(String researchDir, int minShards) {
    return of(Schemas.OBSERVATIONS, researchDir)
        .partitionedBy("measure")
        .shardedBy("participant_id", minShards)
        .sortedBy("participant_id", "effective_year", "effective_date", "days_since_index");
  }

  /** Files per value of {@code field}. */
  public WriteTable partitionedBy(String field) {
    return new WriteTable(table, dir, field, shardField, minShards, sortKeys, partitionSizes);
  }

  /** Each partition in at least {@code min} files, rows with one {@code field} value in one. */
  public WriteTable shardedBy(String field, int min) {
    if (min < 1) {
      throw new IllegalArgumentException("shards must be at least 1, not " + min);
    }
    return new WriteTable(table, dir, partitionField, field, min, sortKeys, partitionSizes);
  }

  /** Rows ordered by these fields first (then by all fields). */
  public WriteTable sortedBy(String... keys) {
    return new WriteTable(table, dir, partitionField, shardField, minShards, List.of(keys),
        partitionSizes);
  }

  /**
   * The rows per partition, counted upstream: counting them here would read every row a
   * second time (on Flink, a second serialized copy).
   */
  public WriteTable withPartitionSizes(PCollectionView<Map<String, Long>> sizes) {
    return new WriteTable(table, dir, partitionField, shardField, minShards, sortKeys, sizes);
  }

  @Override
  public PDone expand(PCollection<GenericRecord> rows) {
    Schema schema = Schemas.load(table);
    String name = table;
    String partition = partitionField;
    PCollectionView<Map<String, Long>> sizes = shardField == null ? null
        : partitionSizes != null ? partitionSizes : rows
            .apply("PartitionOf", MapElements.into(TypeDescriptors.strings())
                .via(r -> partitionOf(r, partition, name)))
            .apply("RowsPerPartition", Count.perElement())
            .apply("AsMap", View.asMap());
    ParDo.SingleOutput<GenericRecord, KV<String, GenericRecord>> keyByFile =
        ParDo.of(new KeyByFileFn(table, partitionField, shardField, minShards, sizes));
    rows.apply("KeyByFile", sizes == null ? keyByFile : keyByFile.withSideInputs(sizes))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), AvroCoder.of(schema)))
        .apply("GroupByFile", GroupByKey.create())
        .apply("WriteFiles", ParDo.of(new WriteFilesFn(table, dir + "/" + table,
            RowOrder.by(sortKeys))));
    return PDone.in(rows.getPipeline());
  }

  /** Keys each row by its file's name (without extension). */
  private static final class KeyByFileFn extends DoFn<GenericRecord, KV<String, GenericRecord>> {
    private final String table;
    private final String partitionField;
    private final String shardField;
    private final int minShards;
    private final PCollectionView<Map<String, Long>> sizes;
    /** Each partition's file names by shard: formatted once, not per row. */
    private transient Map<String, String[]> names;

    KeyByFileFn(String table, String partitionField, String shardField, int minShards,
        PCollectionView<Map<String, Long>> sizes) {
      this.table = table;
      this.partitionField = partitionField;
      this.shardField = shardField;
      this.minShards = minShards;
      this.sizes = sizes;
    }

    @ProcessElement
    public void process(@Element GenericRecord row, ProcessContext c) {
      if (names == null) {
        names = new HashMap<>();
      }
      String partition = partitionOf(row, partitionField, table);
      String[] files = names.computeIfAbsent(partition, p -> {
        Long rows = sizes == null ? null : c.sideInput(sizes).get(p);
        int shards = sizes == null ? 1 : shards(rows == null ? 0 : rows, minShards);
        String[] n = new String[shards];
        for (int i = 0; i < shards; i++) {
          n[i] = fileName(p, i, shards);
        }
        return n;
      });
      int shard = files.length == 1 ? 0 : shard(String.valueOf(row.get(shardField)), files.length);
      c.output(KV.of(files[shard], row));
    }
  }

  /**
   * Writes one file's rows, sorted, as Parquet and as Avro. Each file is written under a
   * hidden temporary name and renamed when complete, so a retried write replaces it whole.
   */
  private static final class WriteFilesFn extends DoFn<KV<String, Iterable<GenericRecord>>, Void> {
    private final String table;
    private final String dir;
    private final RowOrder order;

    WriteFilesFn(String table, String dir, RowOrder order) {
      this.table = table;
      this.dir = dir;
      this.order = order;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<GenericRecord>> file) throws IOException {
      List<GenericRecord> rows = new ArrayList<>();
      for (GenericRecord row : file.getValue()) {
        // A copy: runners with object reuse (Flink) may hand the same instance again.
        rows.add(GenericData.get().deepCopy(row.getSchema(), row));
      }
      rows.sort(order);
      String schema = rows.get(0).getSchema().toString();
      String name = file.getKey();
      write(name + ".parquet", new ParquetFileSink(schema), rows);
      write(name + ".avro", new AvroFileSink(schema, table, name), rows);
    }

    private void write(String fileName, FileIO.Sink<GenericRecord> sink,
        List<GenericRecord> rows) throws IOException {
      StagedFile file = StagedFile.in(dir, fileName);
      try (WritableByteChannel channel = file.create(MimeTypes.BINARY)) {
        sink.open(channel);
        for (GenericRecord row : rows) {
          sink.write(row);
        }
        sink.flush();
      }
      file.publish();
    }
  }

  /** A row's partition: its value of the partition field, or the table when unpartitioned. */
  private static String partitionOf(GenericRecord row, String partitionField, String table) {
    return partitionField == null ? table : String.valueOf(row.get(partitionField));
  }

  static int shards(long rows, int min) {
    return (int) Math.max(min, (rows + MAX_ROWS_PER_FILE - 1) / MAX_ROWS_PER_FILE);
  }

  /** A stable hash (CRC-32, not String.hashCode's weak low bits) picks the value's shard. */
  static int shard(String value, int shards) {
    CRC32 crc = new CRC32();
    crc.update(value.getBytes(StandardCharsets.UTF_8));
    return (int) (crc.getValue() % shards);
  }

  static String fileName(String prefix, int shard, int shards) {
    return String.format("%s-%05d-of-%05d", prefix, shard, shards);
  }
}
