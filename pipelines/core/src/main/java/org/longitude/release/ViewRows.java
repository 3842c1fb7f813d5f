package org.longitude.release;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Enumeration;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.longitude.config.DeidRules;
import org.longitude.deid.Pseudonyms;

/**
 * Releases a view's rows: each cell through its column's rule, with the participant's own
 * pseudonym and date shift. A value that breaks its rule — a "code" that is no code of a
 * declared system in the resource, text where a number or a date belongs, a reference that
 * is not one — is never written: the row is dropped and {@link #release} names the column,
 * and the run is then stopped before it is published. Not thread-safe.
 */
public final class ViewRows {
  private final List<ViewColumn> columns;
  private final Schema schema;
  private final Pseudonyms pseudonyms;
  private final boolean yearOnly;
  private final int ageCap;
  /** Each released column's field position in the schema (-1: not released). */
  private final int[] positions;

  /**
   * @param columns every column of the view, in row order
   * @param schema the table's Avro schema (JSON)
   */
  public ViewRows(List<ViewColumn> columns, String schema, DeidRules deid,
      Pseudonyms pseudonyms) {
    this.columns = columns;
    this.schema = new Schema.Parser().parse(schema);
    this.pseudonyms = pseudonyms;
    this.yearOnly = deid.dateMode() == DeidRules.DateMode.YEAR_ONLY;
    this.ageCap = deid.ageCap();
    this.positions = columns.stream()
        .mapToInt(c -> c.released() ? this.schema.getField(c.name()).pos() : -1).toArray();
  }

  public Schema schema() {
    return schema;
  }

  /**
   * A row's research record, or the column whose value broke its rule.
   *
   * @param codings the Codings and Quantities of the row's resource (asked only when a column
   *     releases a bare code)
   * @param participant the participant's pseudonym
   * @param shift the participant's date shift in days
   */
  public Result release(Object[] row, Codings codings, String clinic,
      String participant, int shift, String runId) {
    GenericRecord record = new GenericData.Record(schema);
    record.put("participant_id", participant);
    record.put("clinic", clinic);
    record.put("run_id", runId);
    for (int i = 0; i < columns.size(); i++) {
      ViewColumn c = columns.get(i);
      if (!c.released() || row[i] == null) {
        continue;
      }
      Object value = value(c, (Base) row[i], codings, clinic, shift);
      if (value == BROKEN) {
        return new Result(null, c);
      }
      record.put(positions[i], value);
    }
    return new Result(record, null);
  }

  /** The Codings and Quantities of a row's resource. */
  @FunctionalInterface
  public interface Codings {
    /** Whether one of them has {@code system} and {@code code}. */
    boolean has(String system, String code);
  }

  /** A released record, or the column that broke its rule. */
  public record Result(GenericRecord record, ViewColumn broken) {}

  private static final Object BROKEN = new Object();

  private Object value(ViewColumn c, Base v, Codings codings, String clinic,
      int shift) {
    return switch (c.rule()) {
      case PSEUDONYM -> pseudonym(c, v, clinic);
      case SHIFT_DATE -> shiftedDate(v, shift);
      case AGE -> age(v);
      case CODE -> code(c, v, codings);
      case NUMBER -> number(c, v);
      case DROP -> null;
    };
  }

  private Object pseudonym(ViewColumn c, Base v, String clinic) {
    References.Key key;
    if (v instanceof IdType id && c.idOf() != null) {
      String part = id.getIdPart();
      key = part != null && References.isId(part)
          ? new References.Key(c.idOf(), part) : null;
    } else if (v instanceof Reference ref) {
      key = References.parse(ref.getReference());
    } else if (v instanceof StringType s) {
      key = References.parse(s.getValue()); // Reference.reference, or a key Type/id
    } else {
      key = null;
    }
    if (key == null) {
      return BROKEN;
    }
    return key.type().equals("Patient") ? pseudonyms.participant(clinic, key.id())
        : pseudonyms.record(clinic, key.type(), key.id());
  }

  /**
   * The calendar day as written (the clinic's local day, as the observations table reads
   * it), moved by the participant's shift; a value less precise than a day cannot be shifted
   * and is left out (null), never released as it is.
   */
  private Object shiftedDate(Base v, int shift) {
    if (!(v instanceof BaseDateTimeType date)) {
      return BROKEN;
    }
    if (date.getPrecision().ordinal() < TemporalPrecisionEnum.DAY.ordinal()) {
      return null;
    }
    String text = date.getValueAsString();
    LocalDate day;
    try {
      day = LocalDate.parse(text.substring(0, 10)).plusDays(shift);
    } catch (RuntimeException e) {
      return BROKEN;
    }
    return yearOnly ? (Object) day.getYear() : (Object) (int) day.toEpochDay();
  }

  private Object age(Base v) {
    BigDecimal years = decimal(v);
    if (years == null || years.signum() < 0) {
      return BROKEN;
    }
    return Math.min(years.intValue(), ageCap);
  }

  private Object number(ViewColumn c, Base v) {
    BigDecimal n = decimal(v);
    if (n == null) {
      return BROKEN;
    }
    return c.output() == ViewColumn.Output.LONG ? (Object) n.longValue()
        : (Object) n.doubleValue();
  }

  private static BigDecimal decimal(Base v) {
    if (v instanceof IntegerType i && i.getValue() != null) {
      return BigDecimal.valueOf(i.getValue());
    }
    if (v instanceof DecimalType d && d.getValue() != null) {
      return d.getValue();
    }
    return null;
  }

  /**
   * A code of a declared system: an Enumeration knows its system, a Coding carries it; a bare
   * code must be the code of a Coding (or Quantity) of a declared system in the same
   * resource — so a name or a note can never pass as a "code".
   */
  private Object code(ViewColumn c, Base v, Codings codings) {
    if (c.output() == ViewColumn.Output.BOOLEAN) {
      return v instanceof BooleanType b && b.getValue() != null ? b.getValue() : BROKEN;
    }
    if (v instanceof Enumeration<?> e) {
      String system = e.getSystem();
      return system != null && c.systems().contains(system) && e.getCode() != null
          ? e.getCode() : BROKEN;
    }
    if (v instanceof Coding coding) {
      return coding.hasCode() && c.systems().contains(coding.getSystem())
          ? coding.getCode() : BROKEN;
    }
    if (v instanceof PrimitiveType<?> p && p.getValueAsString() != null) {
      String code = p.getValueAsString();
      for (String system : c.systems()) {
        if (codings.has(system, code)) {
          return code;
        }
      }
    }
    return BROKEN;
  }
}
