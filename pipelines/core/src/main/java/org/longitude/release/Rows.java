package org.longitude.release;

import java.time.LocalDate;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Builds GenericRecords of a research schema by field name, failing on unknown fields. Used by
 * the release alone ({@code ArchitectureTest}); public for tests that write research tables.
 */
public final class Rows {
  private final GenericData.Record record;

  private Rows(Schema schema) {
    this.record = new GenericData.Record(schema);
  }

  public static Rows of(Schema schema) {
    return new Rows(schema);
  }

  public Rows set(String field, Object value) {
    if (record.getSchema().getField(field) == null) {
      throw new IllegalArgumentException("No field '" + field + "' in " + record.getSchema().getName());
    }
    record.put(field, value instanceof LocalDate d ? (int) d.toEpochDay() : value);
    return this;
  }

  public GenericRecord build() {
    return record;
  }
}
