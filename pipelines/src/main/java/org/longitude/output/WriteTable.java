package org.longitude.output;

import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.io.AvroIO;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.longitude.common.Schemas;

/**
 * Writes one research table as Parquet (snappy) and Avro files in
 * {@code <dir>/<table>/}. A partitioned table puts each partition's rows in files named after
 * it ({@code PHQ9-00000-of-00002.parquet}), so {@code research/*}{@code /*.parquet} still
 * reads every table and each file holds one partition.
 */
public final class WriteTable extends PTransform<PCollection<GenericRecord>, PDone> {
  private static final int ROW_GROUP_BYTES = 64 * 1024 * 1024;
  /** The standard 3-level LIST layout: nullable items, read alike by Spark, DuckDB, pandas. */
  public static final java.util.Map<String, String> PARQUET_CONFIG =
      java.util.Map.of("parquet.avro.write-old-list-structure", "false");
  private final String table;
  private final String dir;
  private final SerializableFunction<GenericRecord, String> partition;
  private final int shards;

  private WriteTable(String table, String dir, SerializableFunction<GenericRecord, String> partition,
      int shards) {
    this.table = table;
    this.dir = dir;
    this.partition = partition;
    this.shards = shards;
  }

  /** One file of each format (aggregate tables are small). */
  public static WriteTable of(String table, String researchDir) {
    return new WriteTable(table, researchDir, r -> table, 1);
  }

  /** Files per value of {@code field}, each in {@code shards} parts. */
  public WriteTable partitionedBy(String field, int shards) {
    return new WriteTable(table, dir, r -> String.valueOf(r.get(field)), shards);
  }

  @Override
  public PDone expand(PCollection<GenericRecord> rows) {
    org.apache.avro.Schema schema = Schemas.load(table);
    String out = dir + "/" + table;
    rows.apply("Parquet", FileIO.<String, GenericRecord>writeDynamic()
        .by(partition)
        .withDestinationCoder(StringUtf8Coder.of())
        .via(ParquetIO.sink(schema).withCompressionCodec(CompressionCodecName.SNAPPY)
            .withRowGroupSize(ROW_GROUP_BYTES)
            .withConfiguration(PARQUET_CONFIG))
        .to(out)
        .withNumShards(shards)
        .withNaming(name -> FileIO.Write.defaultNaming(name, ".parquet")));
    rows.apply("Avro", FileIO.<String, GenericRecord>writeDynamic()
        .by(partition)
        .withDestinationCoder(StringUtf8Coder.of())
        .via(AvroIO.sink(schema))
        .to(out)
        .withNumShards(shards)
        .withNaming(name -> FileIO.Write.defaultNaming(name, ".avro")));
    return PDone.in(rows.getPipeline());
  }
}
