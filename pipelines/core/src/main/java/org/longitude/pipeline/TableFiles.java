package org.longitude.pipeline;

import java.io.IOException;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.longitude.common.BeamFiles;
import org.longitude.output.TableFile;

/**
 * Writes a small table known only after the pipeline ran (the run accounting) directly, as
 * Parquet and Avro with the research tables' sinks, into a zone's folder (research staging,
 * local or shared, or the restricted summary), each file whole under its name.
 */
public final class TableFiles {
  private TableFiles() {}

  public static void write(String zoneDir, String table, List<GenericRecord> rows) throws IOException {
    TableFile.write(BeamFiles.child(zoneDir, table), table, table + "-00000-of-00001", rows);
  }
}
