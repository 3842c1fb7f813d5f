package org.longitude.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;
import org.longitude.pipeline.RunLayout;

/**
 * Two finished runs of one study (same key and run id) compared as a data steward would: every
 * research table row for row (Parquet read back), the exact accounting, every quarantined
 * record, and no file left half-written or temporary anywhere in the second run's output.
 * Lists the differences, in words and counts only.
 */
final class RunComparison {
  private RunComparison() {}

  /**
   * What differs between the runs in {@code a} and {@code b}; empty when nothing does. Read
   * from their files, as a run in another process (the Spark driver's) leaves only those.
   */
  static List<String> differences(RunLayout a, RunLayout b) throws IOException {
    List<String> differences = new ArrayList<>();
    Map<String, List<String>> tablesA = tables(a.research());
    Map<String, List<String>> tablesB = tables(b.research());
    if (!tablesA.keySet().equals(tablesB.keySet())) {
      differences.add("research tables " + tablesA.keySet() + " vs " + tablesB.keySet());
    }
    tablesA.forEach((table, rows) -> {
      List<String> other = tablesB.getOrDefault(table, List.of());
      if (!rows.equals(other)) {
        differences.add(table + ": " + rows.size() + " vs " + other.size() + " rows, "
            + rows.stream().filter(r -> !other.contains(r)).count() + " not in the second run");
      }
    });
    // The restricted summary's tables: run_summary and quarantine counts, small cells kept.
    if (!tables(a.restrictedSummary()).equals(tables(b.restrictedSummary()))) {
      differences.add("exact accounting (restricted run_summary) differs");
    }
    if (!quarantined(a).equals(quarantined(b))) {
      differences.add("quarantined records differ: " + quarantined(a).size() + " vs "
          + quarantined(b).size() + " lines");
    }
    List<String> partial = partialFiles(b.output());
    if (!partial.isEmpty()) {
      differences.add(partial.size() + " file(s) half-written or temporary, e.g. "
          + partial.get(0));
    }
    return differences;
  }

  /** Rows per table, each table's rows as text, sorted. */
  static Map<String, List<String>> tables(Path research) throws IOException {
    Map<String, List<String>> tables = new TreeMap<>();
    try (Stream<Path> dirs = Files.list(research)) {
      for (Path dir : dirs.filter(Files::isDirectory).toList()) {
        List<String> rows = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
          for (Path f : files.filter(f -> f.toString().endsWith(".parquet")).toList()) {
            try (ParquetReader<GenericRecord> reader =
                AvroParquetReader.<GenericRecord>builder(new LocalInputFile(f)).build()) {
              for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
                rows.add(r.toString());
              }
            }
          }
        }
        rows.sort(null);
        tables.put(dir.getFileName().toString(), rows);
      }
    }
    return tables;
  }

  private static List<String> quarantined(RunLayout run) throws IOException {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> files = Files.list(run.quarantine())) {
      for (Path f : files.toList()) {
        lines.addAll(Files.readAllLines(f));
      }
    }
    lines.sort(null);
    return lines;
  }

  /** Files still named as being written, or in a temporary folder, under {@code root}. */
  private static List<String> partialFiles(Path root) throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      return all.filter(Files::isRegularFile).map(p -> root.relativize(p).toString())
          .filter(p -> p.endsWith(".inprogress") || p.contains(".temp")).sorted().toList();
    }
  }
}
