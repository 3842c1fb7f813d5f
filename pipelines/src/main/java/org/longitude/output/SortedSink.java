package org.longitude.output;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileIO;

/**
 * Buffers one file's rows and writes them to {@code delegate} in {@link RowOrder} when the
 * file is finished. Memory is one file's rows: {@link WriteTable} caps rows per file.
 */
final class SortedSink implements FileIO.Sink<GenericRecord> {
  private final FileIO.Sink<GenericRecord> delegate;
  private final RowOrder order;
  private transient List<GenericRecord> rows;

  SortedSink(FileIO.Sink<GenericRecord> delegate, RowOrder order) {
    this.delegate = delegate;
    this.order = order;
  }

  @Override
  public void open(WritableByteChannel channel) throws IOException {
    delegate.open(channel);
    rows = new ArrayList<>();
  }

  @Override
  public void write(GenericRecord row) {
    // A copy: runners with object reuse (Flink) may hand the same instance again.
    rows.add(GenericData.get().deepCopy(row.getSchema(), row));
  }

  @Override
  public void flush() throws IOException {
    rows.sort(order);
    for (GenericRecord row : rows) {
      delegate.write(row);
    }
    rows = null;
    delegate.flush();
  }
}
