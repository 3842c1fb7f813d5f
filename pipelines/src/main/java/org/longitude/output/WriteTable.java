package org.longitude.output;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.transforms.Contextful;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.Requirements;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.longitude.common.Schemas;

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

  private WriteTable(String table, String dir, String partitionField, String shardField,
      int minShards, List<String> sortKeys) {
    this.table = table;
    this.dir = dir;
    this.partitionField = partitionField;
    this.shardField = shardField;
    this.minShards = minShards;
    this.sortKeys = sortKeys;
  }

  /** One file of each format, rows in the order of all their fields (aggregate tables). */
  public static WriteTable of(String table, String researchDir) {
    return new WriteTable(table, researchDir, null, null, 1, List.of());
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
    return new WriteTable(table, dir, field, shardField, minShards, sortKeys);
  }

  /** Each partition in at least {@code min} files, rows with one {@code field} value in one. */
  public WriteTable shardedBy(String field, int min) {
    if (min < 1) {
      throw new IllegalArgumentException("shards must be at least 1, not " + min);
    }
    return new WriteTable(table, dir, partitionField, field, min, sortKeys);
  }

  /** Rows ordered by these fields first (then by all fields). */
  public WriteTable sortedBy(String... keys) {
    return new WriteTable(table, dir, partitionField, shardField, minShards, List.of(keys));
  }

  @Override
  public PDone expand(PCollection<GenericRecord> rows) {
    String schema = Schemas.json(table);
    String out = dir + "/" + table;
    Contextful<Contextful.Fn<GenericRecord, String>> fileOf = fileNames(rows);
    RowOrder order = RowOrder.by(sortKeys);
    String name = table;
    rows.apply("Parquet", FileIO.<String, GenericRecord>writeDynamic()
        .by(fileOf)
        .withDestinationCoder(StringUtf8Coder.of())
        .via(Contextful.fn(file -> new SortedSink(new ParquetFileSink(schema), order)))
        .to(out)
        .withNumShards(1)
        .withNaming(file -> fixedName(file + ".parquet")));
    rows.apply("Avro", FileIO.<String, GenericRecord>writeDynamic()
        .by(fileOf)
        .withDestinationCoder(StringUtf8Coder.of())
        .via(Contextful.fn(file -> new SortedSink(new AvroFileSink(schema, name, file), order)))
        .to(out)
        .withNumShards(1)
        .withNaming(file -> fixedName(file + ".avro")));
    return PDone.in(rows.getPipeline());
  }

  /** Each row's file name (without extension); sharded names need the partitions' sizes. */
  private Contextful<Contextful.Fn<GenericRecord, String>> fileNames(
      PCollection<GenericRecord> rows) {
    String single = table;
    String partition = partitionField;
    if (partition == null) {
      return Contextful.fn(r -> fileName(single, 0, 1));
    }
    if (shardField == null) {
      return Contextful.fn(r -> fileName(String.valueOf(r.get(partition)), 0, 1));
    }
    PCollectionView<Map<String, Long>> sizes = rows
        .apply("PartitionOf", MapElements.into(TypeDescriptors.strings())
            .via(r -> String.valueOf(r.get(partition))))
        .apply("RowsPerPartition", Count.perElement())
        .apply("AsMap", View.asMap());
    String field = shardField;
    int min = minShards;
    return Contextful.fn((r, c) -> {
      String p = String.valueOf(r.get(partition));
      int shards = shards(c.sideInput(sizes).get(p), min);
      return fileName(p, shard(String.valueOf(r.get(field)), shards), shards);
    }, Requirements.requiresSideInputs(sizes));
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

  /** Beam's file naming, ignoring window, pane and Beam's own shard (always 0 of 1 here). */
  private static FileIO.Write.FileNaming fixedName(String file) {
    return (window, pane, numShards, shardIndex, compression) -> file;
  }
}
