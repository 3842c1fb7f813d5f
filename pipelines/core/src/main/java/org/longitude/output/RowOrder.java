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
      int c = GenericData.get().compare(a.get(field.pos()), b.get(field.pos()), field.schema());
      if (c != 0) {
        return c;
      }
    }
    return GenericData.get().compare(a, b, schema);
  }
}
