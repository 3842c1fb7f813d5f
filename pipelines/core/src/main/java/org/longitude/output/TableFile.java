package org.longitude.output;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.util.MimeTypes;
import org.longitude.common.Schemas;
import org.longitude.common.StagedFile;

/**
 * One file of a research table, written as Parquet ({@code <name>.parquet}) and as Avro
 * ({@code <name>.avro}) from the same rows, in their order. Each file is written under a
 * hidden name and renamed when whole, so readers never see a part of one, and a retried
 * write replaces it.
 */
public final class TableFile {
  private TableFile() {}

  /** Writes {@code rows} of {@code table} into {@code dir} (a path or URL). */
  public static void write(String dir, String table, String name, List<GenericRecord> rows)
      throws IOException {
    String schema = rows.isEmpty() ? Schemas.json(table)
        : rows.get(0).getSchema().toString();
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
