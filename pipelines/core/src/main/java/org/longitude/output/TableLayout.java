package org.longitude.output;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32;
import org.apache.avro.generic.GenericRecord;

/**
 * How one research table is laid out in files, each file's rows in a stable {@link RowOrder},
 * so the same rows always give byte-identical files under the same names.
 *
 * <p>A partitioned table puts each partition's rows in files named after it
 * ({@code PHQ9-00000-of-00002.parquet}), so {@code research/*}{@code /*.parquet} still reads
 * every table. A sharded table spreads a partition over files by a hash of the shard field
 * (the participant), so one participant's rows live in one file; the shard count grows with
 * the partition's rows ({@link #MAX_ROWS_PER_FILE}), which bounds the rows a writer sorts in
 * memory however large the study grows.
 *
 * @param partitionField null: one partition, named after the table
 * @param shardField null: one file per partition
 */
public record TableLayout(String table, String partitionField, String shardField, int minShards,
    List<String> sortKeys) implements Serializable {
  /**
   * Rows per file, about (the hash spreads participants, not rows, evenly). A file's rows are
   * sorted in memory: 100k rows of the widest table take about 100 MB.
   */
  static final int MAX_ROWS_PER_FILE = 100_000;

  /** One file, rows in the order of all their fields (aggregate tables). */
  public static TableLayout of(String table) {
    return new TableLayout(table, null, null, 1, List.of());
  }

  /** Files per value of {@code field}. */
  public TableLayout partitionedBy(String field) {
    return new TableLayout(table, field, shardField, minShards, sortKeys);
  }

  /** Each partition in at least {@code min} files, rows with one {@code field} value in one. */
  public TableLayout shardedBy(String field, int min) {
    if (min < 1) {
      throw new IllegalArgumentException("shards must be at least 1, not " + min);
    }
    return new TableLayout(table, partitionField, field, min, sortKeys);
  }

  /** Rows ordered by these fields first (then by all fields). */
  public TableLayout sortedBy(String... keys) {
    return new TableLayout(table, partitionField, shardField, minShards, List.of(keys));
  }

  boolean sharded() {
    return shardField != null;
  }

  /** A row's partition: its value of the partition field, or the table when unpartitioned. */
  String partitionOf(GenericRecord row) {
    return partitionField == null ? table : String.valueOf(row.get(partitionField));
  }

  /** A partition's key among row counts of several tables: {@code <table>/<partition>}. */
  String sizeKey(String partition) {
    return table + "/" + partition;
  }

  RowOrder order() {
    return RowOrder.by(sortKeys);
  }

  /** The files of a partition of {@code rows} rows, by shard (names without extension). */
  String[] files(String partition, long rows) {
    int shards = sharded() ? shards(rows, minShards) : 1;
    String[] names = new String[shards];
    for (int i = 0; i < shards; i++) {
      names[i] = fileName(partition, i, shards);
    }
    return names;
  }

  /** The file among a partition's {@code files} that holds {@code row}. */
  String fileOf(GenericRecord row, String[] files) {
    return files.length == 1 ? files[0] : files[shard(String.valueOf(row.get(shardField)),
        files.length)];
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
