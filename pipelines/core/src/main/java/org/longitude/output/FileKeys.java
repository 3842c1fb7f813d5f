package org.longitude.output;

import java.util.HashMap;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;

/**
 * The grouping keys ({@link WriteFiles#key}) of a table's files, for rows: each partition's
 * file names are formatted once, from its row count, not per row. One per DoFn instance and
 * bundle (not thread-safe).
 */
final class FileKeys {
  private final TableLayout layout;
  private final Map<String, String[]> files = new HashMap<>();

  FileKeys(TableLayout layout) {
    this.layout = layout;
  }

  /**
   * The key of the file that holds {@code row}.
   *
   * @param rows row counts by {@link TableLayout#sizeKey}; null for an unsharded table
   */
  String of(GenericRecord row, Map<String, Long> rows) {
    String[] names = files.computeIfAbsent(layout.partitionOf(row), partition -> layout.files(
        partition, rows == null ? 0 : rows.getOrDefault(layout.sizeKey(partition), 0L)));
    return WriteFiles.key(layout.table(), layout.fileOf(row, names));
  }
}
