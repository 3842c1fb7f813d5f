package org.longitude.pipeline;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.util.MimeTypes;
import org.longitude.common.BeamFiles;
import org.longitude.common.Schemas;
import org.longitude.common.StagedFile;
import org.longitude.output.AvroFileSink;
import org.longitude.output.ParquetFileSink;

/**
 * Writes a small table known only after the pipeline ran (the run accounting) directly, as
 * Parquet and Avro with the research tables' sinks, into a zone's folder (research staging,
 * local or shared, or the restricted summary), each file whole under its name.
 */
final class TableFiles {
  private TableFiles() {}

  static void write(String zoneDir, String table, List<GenericRecord> rows) throws IOException {
    String schema = Schemas.load(table).toString();
    String dir = BeamFiles.child(zoneDir, table);
    String name = table + "-00000-of-00001";
    write(dir, name + ".parquet", new ParquetFileSink(schema), rows);
    write(dir, name + ".avro", new AvroFileSink(schema, table, name), rows);
  }

  private static void write(String dir, String fileName, FileIO.Sink<GenericRecord> sink,
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
