package org.longitude.output;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.util.VarInt;
import org.longitude.common.Schemas;

/**
 * A compact, deterministic coder for {@link RowBatch}es of any research table, driven by the
 * table's schema from {@code schemas/}. Each field of a row starts with one byte: null, the
 * same value as the row before, or a value that follows. A participant's rows repeat most of
 * their strings (participant, clinic, measure, codes, run), so a batch costs a fraction of its
 * rows encoded one by one, and decoding reuses one String for a repeated value.
 *
 * <p>Why not {@code AvroCoder}: Avro's generic writer resolves every union by schema name and
 * writes every string whole; shipping the research rows that way to the file-writing step
 * was the largest per-row cost of the ingest (see README, "Benchmark").
 */
public final class RowBatchCoder extends CustomCoder<RowBatch> {
  private static final RowBatchCoder INSTANCE = new RowBatchCoder();
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();
  private static final int NULL = 0;
  private static final int SAME = 1;
  private static final int VALUE = 2;
  /** Row codecs by table, built from the schemas once per JVM (they never change). */
  private static final Map<String, RowCodec> TABLES = new ConcurrentHashMap<>();

  /** Row codecs of tables whose schema is derived rather than in schemas/, by schema. */
  private static final Map<String, RowCodec> DERIVED = new ConcurrentHashMap<>();

  /** A table whose schema is not in schemas/ (a study view's), or null. */
  private final String derivedTable;
  private final String derivedSchema;

  private RowBatchCoder() {
    this(null, null);
  }

  private RowBatchCoder(String derivedTable, String derivedSchema) {
    this.derivedTable = derivedTable;
    this.derivedSchema = derivedSchema;
  }

  public static RowBatchCoder of() {
    return INSTANCE;
  }

  /** A coder that also knows {@code table}, whose schema (JSON) is derived, not in schemas/. */
  public static RowBatchCoder withSchema(String table, String schemaJson) {
    return new RowBatchCoder(table, schemaJson);
  }

  @Override
  public void encode(RowBatch batch, OutputStream out) throws IOException {
    if (batch == null) {
      throw new CoderException("cannot encode a null RowBatch");
    }
    STRING.encode(batch.table(), out);
    codecOf(batch.table()).encode(batch.rows(), out);
  }

  @Override
  public RowBatch decode(InputStream in) throws IOException {
    String table = STRING.decode(in);
    return new RowBatch(table, codecOf(table).decode(in));
  }

  @Override
  public void verifyDeterministic() {}

  @Override
  public boolean equals(Object o) {
    return o instanceof RowBatchCoder c && java.util.Objects.equals(derivedTable, c.derivedTable)
        && java.util.Objects.equals(derivedSchema, c.derivedSchema);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(derivedTable, derivedSchema);
  }

  private RowCodec codecOf(String table) {
    if (table.equals(derivedTable)) {
      return DERIVED.computeIfAbsent(derivedSchema,
          json -> new RowCodec(table, new Schema.Parser().parse(json)));
    }
    return codec(table);
  }

  /** The codec of a table's rows; fails on a schema with a type this coder cannot write. */
  static RowCodec codec(String table) {
    return TABLES.computeIfAbsent(table, t -> new RowCodec(t, Schemas.load(t)));
  }

  /** Encodes a table's rows field by field, each against the same field of the row before. */
  static final class RowCodec {
    private final String table;
    private final Schema schema;
    private final String[] names;
    private final boolean[] nullable;
    private final ValueCodec[] values;

    RowCodec(String table, Schema schema) {
      this.table = table;
      this.schema = schema;
      List<Schema.Field> fields = schema.getFields();
      names = new String[fields.size()];
      nullable = new boolean[fields.size()];
      values = new ValueCodec[fields.size()];
      for (Schema.Field field : fields) {
        Schema type = field.schema();
        Schema nonNull = nonNullBranch(type);
        names[field.pos()] = field.name();
        nullable[field.pos()] = nonNull != type;
        values[field.pos()] = ValueCodec.of(nonNull, table + "." + field.name());
      }
    }

    void encode(List<GenericRecord> rows, OutputStream out) throws IOException {
      VarInt.encode(rows.size(), out);
      GenericRecord previous = null;
      for (GenericRecord row : rows) {
        for (int i = 0; i < values.length; i++) {
          Object value = row.get(i);
          if (value == null) {
            if (!nullable[i]) {
              throw new CoderException(table + "." + names[i] + " may not be null");
            }
            out.write(NULL);
          } else if (previous != null && Objects.equals(value, previous.get(i))) {
            out.write(SAME);
          } else {
            out.write(VALUE);
            values[i].encode(value, out);
          }
        }
        previous = row;
      }
    }

    List<GenericRecord> decode(InputStream in) throws IOException {
      int n = VarInt.decodeInt(in);
      List<GenericRecord> rows = new ArrayList<>(n);
      GenericRecord previous = null;
      for (int r = 0; r < n; r++) {
        GenericData.Record row = new GenericData.Record(schema);
        for (int i = 0; i < values.length; i++) {
          int tag = in.read();
          switch (tag) {
            case NULL -> row.put(i, null);
            case SAME -> {
              if (previous == null) {
                throw new CoderException("corrupt batch: the first row repeats a value");
              }
              row.put(i, previous.get(i));
            }
            case VALUE -> row.put(i, values[i].decode(in));
            default -> throw new CoderException("corrupt batch: field tag " + tag);
          }
        }
        rows.add(row);
        previous = row;
      }
      return rows;
    }
  }

  /** The branch of a {@code ["null", T]} union that is not null; the schema itself otherwise. */
  private static Schema nonNullBranch(Schema type) {
    if (type.getType() != Schema.Type.UNION) {
      return type;
    }
    List<Schema> branches = type.getTypes().stream()
        .filter(s -> s.getType() != Schema.Type.NULL).toList();
    if (branches.size() != 1) {
      throw new IllegalArgumentException("unsupported union " + type);
    }
    return branches.get(0);
  }

  /** Writes and reads one non-null value of an Avro type. */
  private interface ValueCodec {
    void encode(Object value, OutputStream out) throws IOException;

    Object decode(InputStream in) throws IOException;

    static ValueCodec of(Schema type, String where) {
      return switch (type.getType()) {
        case STRING -> new ValueCodec() {
          public void encode(Object v, OutputStream out) throws IOException {
            STRING.encode(v.toString(), out);
          }

          public Object decode(InputStream in) throws IOException {
            return STRING.decode(in);
          }
        };
        case INT -> new ValueCodec() {
          public void encode(Object v, OutputStream out) throws IOException {
            VarInt.encode((Integer) v, out);
          }

          public Object decode(InputStream in) throws IOException {
            return VarInt.decodeInt(in);
          }
        };
        case LONG -> new ValueCodec() {
          public void encode(Object v, OutputStream out) throws IOException {
            VarInt.encode((Long) v, out);
          }

          public Object decode(InputStream in) throws IOException {
            return VarInt.decodeLong(in);
          }
        };
        case DOUBLE -> new ValueCodec() {
          public void encode(Object v, OutputStream out) throws IOException {
            long bits = Double.doubleToLongBits((Double) v);
            for (int shift = 56; shift >= 0; shift -= 8) {
              out.write((int) (bits >>> shift));
            }
          }

          public Object decode(InputStream in) throws IOException {
            long bits = 0;
            for (int i = 0; i < 8; i++) {
              int b = in.read();
              if (b < 0) {
                throw new CoderException("end of stream inside a double");
              }
              bits = bits << 8 | b;
            }
            return Double.longBitsToDouble(bits);
          }
        };
        case BOOLEAN -> new ValueCodec() {
          public void encode(Object v, OutputStream out) throws IOException {
            out.write((Boolean) v ? 1 : 0);
          }

          public Object decode(InputStream in) throws IOException {
            return in.read() == 1;
          }
        };
        case ARRAY -> new Nested(type.getElementType(), where, false);
        case MAP -> new Nested(type.getValueType(), where, true);
        default -> throw new IllegalArgumentException(where + ": unsupported type " + type);
      };
    }
  }

  /** An array's elements or a map's entries (string keys), each element nullable as its schema. */
  private static final class Nested implements ValueCodec {
    private final boolean nullable;
    private final ValueCodec element;
    private final boolean map;

    Nested(Schema elementType, String where, boolean map) {
      Schema nonNull = nonNullBranch(elementType);
      this.nullable = nonNull != elementType;
      this.element = ValueCodec.of(nonNull, where);
      this.map = map;
    }

    @Override
    public void encode(Object value, OutputStream out) throws IOException {
      if (map) {
        Map<?, ?> entries = (Map<?, ?>) value;
        VarInt.encode(entries.size(), out);
        for (Map.Entry<?, ?> e : entries.entrySet()) {
          STRING.encode(e.getKey().toString(), out);
          encodeElement(e.getValue(), out);
        }
      } else {
        List<?> items = (List<?>) value;
        VarInt.encode(items.size(), out);
        for (Object item : items) {
          encodeElement(item, out);
        }
      }
    }

    @Override
    public Object decode(InputStream in) throws IOException {
      int n = VarInt.decodeInt(in);
      if (map) {
        Map<String, Object> entries = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
          entries.put(STRING.decode(in), decodeElement(in));
        }
        return entries;
      }
      List<Object> items = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        items.add(decodeElement(in));
      }
      return items;
    }

    private void encodeElement(Object value, OutputStream out) throws IOException {
      if (nullable) {
        out.write(value == null ? NULL : VALUE);
      } else if (value == null) {
        throw new CoderException("a null element where the schema allows none");
      }
      if (value != null) {
        element.encode(value, out);
      }
    }

    private Object decodeElement(InputStream in) throws IOException {
      return nullable && in.read() == NULL ? null : element.decode(in);
    }
  }
}
