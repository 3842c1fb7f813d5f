package org.longitude.release;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.longitude.common.Schemas;

/** The {@code view_rows} table: rows written per view and clinic, small cells withheld. */
public final class ViewRowCounts {
  private final SmallCells cells;
  private final String runId;
  private final Schema schema = Schemas.load(Schemas.VIEW_ROWS);

  public ViewRowCounts(SmallCells cells, String runId) {
    this.cells = cells;
    this.runId = runId;
  }

  public GenericRecord row(String view, String clinic, long rows) {
    Long shown = cells.show(rows);
    return Rows.of(schema)
        .set("view", view)
        .set("clinic", clinic)
        .set("rows", shown)
        .set("suppressed", shown == null)
        .set("run_id", runId)
        .build();
  }
}
