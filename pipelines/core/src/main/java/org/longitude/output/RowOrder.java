package org.longitude.output;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * A total, stable order of a table's rows: the named key fields first, then every field in
 * schema order (Avro's record order) as the tiebreak, so equal inputs always give equal files.
 */
final class RowOrder implements Comparator<GenericRecord>, Serializable {
  private static final long serialVersionUID = 1L;
  private final List<String> keys;

  private RowOrder(List<String> keys) {
    this.keys = List.copyOf(keys);
  }

  static RowOrder by(List<String> keys) {
    return new RowOrder(keys);
  }

  /**
   * The rows of {@code batches}, in this order: each batch sorted on its own, the batches
   * ordered by their first row, then the whole sorted once more. A participant's rows arrive as
   * one batch and participants' batches do not interleave, so that last sort (TimSort) finds
   * the rows already in order and only checks them, instead of sorting a file's hundred
   * thousand rows from scratch; whatever the batches hold, the result is this total order.
   */
  List<GenericRecord> sort(Iterable<List<GenericRecord>> batches) {
    List<List<GenericRecord>> runs = new ArrayList<>();
    int size = 0;
    for (List<GenericRecord> batch : batches) {
      if (!batch.isEmpty()) {
        List<GenericRecord> run = new ArrayList<>(batch);
        run.sort(this);
        runs.add(run);
        size += run.size();
      }
    }
    runs.sort((x, y) -> compare(x.get(0), y.get(0)));
    List<GenericRecord> rows = new ArrayList<>(size);
    runs.forEach(rows::addAll);
    rows.sort(this);
    return rows;
  }

  @Override
  public int compare(GenericRecord a, GenericRecord b) {
    Schema schema = a.getSchema();
    for (String key : keys) {
      Schema.Field field = schema.getField(key);
      int c = compare(a.get(field.pos()), b.get(field.pos()), field.schema());
      if (c != 0) {
        return c;
      }
    }
    for (Schema.Field field : schema.getFields()) {
      if (field.order() == Schema.Field.Order.IGNORE) {
        continue;
      }
      int c = compare(a.get(field.pos()), b.get(field.pos()), field.schema());
      if (c != 0) {
        return field.order() == Schema.Field.Order.DESCENDING ? -c : c;
      }
    }
    return 0;
  }

  /**
   * Avro's order ({@link GenericData#compare}) field by field, with two strings compared in
   * place: Avro encodes both as UTF-8 for every comparison, which made sorting a view's
   * shuffled rows a fifth of its write. UTF-16 order is UTF-8's (code point) order unless a
   * surrogate is involved; then Avro decides.
   */
  private static int compare(Object x, Object y, Schema schema) {
    if (x instanceof String s && y instanceof String t) {
      int n = Math.min(s.length(), t.length());
      for (int i = 0; i < n; i++) {
        char c = s.charAt(i);
        char d = t.charAt(i);
        if (c != d) {
          return Character.isSurrogate(c) || Character.isSurrogate(d)
              ? GenericData.get().compare(x, y, schema) : Character.compare(c, d);
        }
      }
      return Integer.compare(s.length(), t.length());
    }
    return GenericData.get().compare(x, y, schema);
  }
}
