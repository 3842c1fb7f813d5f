package org.longitude.views;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.longitude.common.RecordVersion;
import org.longitude.output.RowBatch;
import org.longitude.output.RowBatchCoder;

/**
 * One version of a resource (its pseudonym {@code record}) with the view rows it gave
 * (released already): what the newest-version step compares. Never printed whole: rows are
 * research rows, the version may be a server's free text.
 */
record VersionedRows(String record, RecordVersion version, boolean retracted,
    List<GenericRecord> rows) {
  @Override
  public String toString() {
    return "VersionedRows[" + rows.size() + " row(s)]";
  }

  /** A coder for one view's versioned rows (rows through the view's derived schema). */
  static Coder coder(ReleasedView view) {
    return new Coder(view.name(), view.schema());
  }

  /** Version, retraction flag, then the rows as one batch of the view's table. */
  static final class Coder extends CustomCoder<VersionedRows> {
    private final String table;
    private final RowBatchCoder rows;

    Coder(String table, String schema) {
      this.table = table;
      this.rows = RowBatchCoder.withSchema(table, schema);
    }

    @Override
    public void encode(VersionedRows v, OutputStream out) throws IOException {
      StringUtf8Coder.of().encode(v.record(), out);
      VarLongCoder.of().encode(v.version().number(), out);
      StringUtf8Coder.of().encode(v.version().text(), out);
      VarLongCoder.of().encode(v.version().lastUpdatedMillis(), out);
      BooleanCoder.of().encode(v.retracted(), out);
      rows.encode(new RowBatch(table, v.rows()), out);
    }

    @Override
    public VersionedRows decode(InputStream in) throws IOException {
      String record = StringUtf8Coder.of().decode(in);
      RecordVersion version = new RecordVersion(VarLongCoder.of().decode(in),
          StringUtf8Coder.of().decode(in), VarLongCoder.of().decode(in));
      boolean retracted = BooleanCoder.of().decode(in);
      return new VersionedRows(record, version, retracted, rows.decode(in).rows());
    }

    @Override
    public void verifyDeterministic() {}

    @Override
    public boolean equals(Object o) {
      return o instanceof Coder c && c.rows.equals(rows);
    }

    @Override
    public int hashCode() {
      return rows.hashCode();
    }
  }
}
