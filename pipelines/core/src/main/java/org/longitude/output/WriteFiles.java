package org.longitude.output;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.longitude.common.BeamFiles;

/**
 * Writes batches of rows keyed by {@link #key file}: groups each file's batches, sorts the
 * file's rows by its table's {@link RowOrder}, and writes them as Parquet (snappy) and as
 * Avro in {@code <dir>/<table>/}. One grouping for every file of several tables, so each row
 * crosses the network once.
 */
final class WriteFiles extends PTransform<PCollection<KV<String, RowBatch>>, PDone> {
  private final String dir;
  private final Map<String, RowOrder> orders = new HashMap<>();

  /** @param layouts the tables whose batches arrive, for their row order */
  WriteFiles(String dir, List<TableLayout> layouts) {
    this.dir = dir;
    layouts.forEach(l -> orders.put(l.table(), l.order()));
  }

  /** The grouping key of a table's file (named without extension). */
  static String key(String table, String file) {
    return table + "/" + file;
  }

  @Override
  public PDone expand(PCollection<KV<String, RowBatch>> batches) {
    batches.apply("GroupByFile", GroupByKey.create())
        .apply("WriteFiles", ParDo.of(new WriteFilesFn(dir, orders)));
    return PDone.in(batches.getPipeline());
  }

  /** Writes one file's rows, sorted, as Parquet and as Avro ({@link TableFile}). */
  private static final class WriteFilesFn extends DoFn<KV<String, Iterable<RowBatch>>, Void> {
    private final String dir;
    private final Map<String, RowOrder> orders;

    WriteFilesFn(String dir, Map<String, RowOrder> orders) {
      this.dir = dir;
      this.orders = Map.copyOf(orders);
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<RowBatch>> file) throws java.io.IOException {
      // Every batch is a decoded copy (coders never decode into a reused instance), so rows
      // may be kept even where the runner reuses objects.
      List<List<GenericRecord>> batches = new ArrayList<>();
      String table = null;
      for (RowBatch batch : file.getValue()) {
        table = batch.table();
        batches.add(batch.rows());
      }
      List<GenericRecord> rows = orders.get(table).sort(batches);
      String name = file.getKey().substring(table.length() + 1);
      TableFile.write(BeamFiles.child(dir, table), table, name, rows);
    }
  }
}
