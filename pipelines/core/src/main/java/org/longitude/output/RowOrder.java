package org.longitude.output;

import java.io.Serializable;
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
