package org.longitude.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.longitude.testing.ParquetRows;

/** Reads a research table back with a real Parquet reader. */
final class ParquetTables {
  private ParquetTables() {}

  static List<GenericRecord> read(Path research, String table) throws IOException {
    List<GenericRecord> rows = new ArrayList<>();
    try (Stream<Path> files = Files.list(research.resolve(table))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".parquet")).sorted().toList()) {
        rows.addAll(ParquetRows.read(file));
      }
    }
    return rows;
  }

  /** A table's rows as text, sorted: two runs' tables compare row for row. */
  static List<String> sortedRows(Path research, String table) throws IOException {
    List<String> rows = new ArrayList<>();
    for (GenericRecord r : read(research, table)) {
      rows.add(r.toString());
    }
    rows.sort(null);
    return rows;
  }
}
