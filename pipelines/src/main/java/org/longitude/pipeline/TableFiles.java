package org.longitude.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.longitude.common.Schemas;
import org.longitude.output.AvroFileSink;

/**
 * Writes a small table known only after the pipeline ran (the run accounting) directly, as
 * Parquet and Avro, into a zone's folder (research staging or the restricted summary).
 */
final class TableFiles {
  private TableFiles() {}

  static void write(Path zoneDir, String table, List<GenericRecord> rows) throws IOException {
    Schema schema = Schemas.load(table);
    Path dir = Files.createDirectories(zoneDir.resolve(table));
    Path parquet = dir.resolve(table + "-00000-of-00001.parquet");
    Files.deleteIfExists(parquet);
    try (ParquetWriter<GenericRecord> writer = AvroParquetWriter
        .<GenericRecord>builder(new LocalOutputFile(parquet))
        .withSchema(schema)
        .withCompressionCodec(CompressionCodecName.SNAPPY)
        .config("parquet.avro.write-old-list-structure", "false")
        .build()) {
      for (GenericRecord r : rows) {
        writer.write(r);
      }
    }
    String avro = table + "-00000-of-00001.avro";
    try (DataFileWriter<GenericRecord> writer =
        new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(schema))) {
      // A sync marker from the name, not random: re-runs give byte-identical files.
      writer.create(schema, Files.newOutputStream(dir.resolve(avro)),
          AvroFileSink.syncMarker(table, avro));
      for (GenericRecord r : rows) {
        writer.append(r);
      }
    }
  }
}
