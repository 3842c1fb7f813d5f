package org.longitude.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.LocalDate;
import java.util.List;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CustomCoder;

/**
 * A compact, deterministic coder for the records of a sealed interface: a tag (the variant's
 * place among the interface's permitted subclasses, from 1), then each component in declaration
 * order as {@link CompactCoding} writes its type. The records are the one description of their
 * fields: a component added to a variant needs no change here, and no two coders list the same
 * fields by hand.
 *
 * @param <T> the sealed interface, whose permitted subclasses are all records of components
 *     this coder knows ({@link Field})
 */
public final class SealedRecordCoder<T> extends CustomCoder<T> {
  /** Each sealed interface's variants, read once per class loader. */
  private static final ClassValue<Variant[]> VARIANTS = new ClassValue<>() {
    @Override
    protected Variant[] computeValue(Class<?> sealed) {
      return variants(sealed);
    }
  };

  private final Class<T> type;

  private SealedRecordCoder(Class<T> type) {
    this.type = type;
  }

  /** The coder of {@code type}'s records; refuses a variant it cannot code, naming it. */
  public static <T> SealedRecordCoder<T> of(Class<T> type) {
    VARIANTS.get(type); // fail here, at graph construction, not on the first element
    return new SealedRecordCoder<>(type);
  }

  @Override
  public void encode(T value, OutputStream out) throws IOException {
    if (value == null) {
      throw new CoderException("cannot encode a null " + type.getSimpleName());
    }
    Variant[] variants = VARIANTS.get(type);
    for (int tag = 0; tag < variants.length; tag++) {
      Variant v = variants[tag];
      if (v.type == value.getClass()) {
        out.write(tag + 1);
        for (int i = 0; i < v.fields.length; i++) {
          v.fields[i].write(v.get(i, value), out);
        }
        return;
      }
    }
    throw new CoderException("not a variant of " + type.getSimpleName() + ": "
        + value.getClass().getName());
  }

  @Override
  public T decode(InputStream in) throws IOException {
    int tag = CompactCoding.readTag(in);
    Variant[] variants = VARIANTS.get(type);
    if (tag < 1 || tag > variants.length) {
      throw new CoderException("unknown " + type.getSimpleName() + " type tag " + tag);
    }
    Variant v = variants[tag - 1];
    Object[] components = new Object[v.fields.length];
    for (int i = 0; i < components.length; i++) {
      components[i] = v.fields[i].read(in);
    }
    return type.cast(v.create(components));
  }

  @Override
  public void verifyDeterministic() {}

  @Override
  public boolean equals(Object other) {
    return other instanceof SealedRecordCoder<?> c && c.type == type;
  }

  @Override
  public int hashCode() {
    return type.hashCode();
  }

  /** The component types this coder writes, each as {@link CompactCoding} does. */
  enum Field {
    STRING {
      void write(Object v, OutputStream out) throws IOException {
        CompactCoding.writeString((String) v, out);
      }

      Object read(InputStream in) throws IOException {
        return CompactCoding.readString(in);
      }
    },
    INTEGER {
      void write(Object v, OutputStream out) throws IOException {
        CompactCoding.writeInteger((Integer) v, out);
      }

      Object read(InputStream in) throws IOException {
        return CompactCoding.readInteger(in);
      }
    },
    DATE {
      void write(Object v, OutputStream out) throws IOException {
        CompactCoding.writeDate((LocalDate) v, out);
      }

      Object read(InputStream in) throws IOException {
        return CompactCoding.readDate(in);
      }
    },
    VERSION {
      void write(Object v, OutputStream out) throws IOException {
        CompactCoding.writeVersion((RecordVersion) v, out);
      }

      Object read(InputStream in) throws IOException {
        return CompactCoding.readVersion(in);
      }
    },
    INTEGERS {
      @SuppressWarnings("unchecked")
      void write(Object v, OutputStream out) throws IOException {
        CompactCoding.writeIntegers((List<Integer>) v, out);
      }

      Object read(InputStream in) throws IOException {
        return CompactCoding.readIntegers(in);
      }
    },
    STRINGS {
      @SuppressWarnings("unchecked")
      void write(Object v, OutputStream out) throws IOException {
        CompactCoding.writeStrings((List<String>) v, out);
      }

      Object read(InputStream in) throws IOException {
        return CompactCoding.readStrings(in);
      }
    },
    LEDGER {
      void write(Object v, OutputStream out) throws IOException {
        ((Ledger) v).writeTo(out);
      }

      Object read(InputStream in) throws IOException {
        return Ledger.readFrom(in);
      }
    };

    abstract void write(Object value, OutputStream out) throws IOException;

    abstract Object read(InputStream in) throws IOException;

    static Field of(RecordComponent c) {
      Type t = c.getGenericType();
      if (t instanceof ParameterizedType p && p.getRawType() == List.class) {
        Type element = p.getActualTypeArguments()[0];
        if (element == Integer.class) {
          return INTEGERS;
        }
        if (element == String.class) {
          return STRINGS;
        }
      }
      if (t == String.class) {
        return STRING;
      }
      if (t == Integer.class) {
        return INTEGER;
      }
      if (t == LocalDate.class) {
        return DATE;
      }
      if (t == RecordVersion.class) {
        return VERSION;
      }
      if (t == Ledger.class) {
        return LEDGER;
      }
      throw new IllegalArgumentException(c.getDeclaringRecord().getName() + "." + c.getName()
          + ": a component of type " + t.getTypeName() + " has no compact coding");
    }
  }

  /** One record of the sealed interface: its components' fields, accessors and constructor. */
  private record Variant(Class<?> type, Field[] fields, MethodHandle[] accessors,
      MethodHandle constructor) {

    Object get(int component, Object record) throws IOException {
      try {
        return accessors[component].invokeExact(record);
      } catch (Throwable e) {
        throw new CoderException(e);
      }
    }

    Object create(Object[] components) throws IOException {
      try {
        return constructor.invokeExact(components);
      } catch (Throwable e) {
        throw new CoderException(e);
      }
    }
  }

  private static Variant[] variants(Class<?> sealed) {
    Class<?>[] permitted = sealed.getPermittedSubclasses();
    if (permitted == null) {
      throw new IllegalArgumentException(sealed.getName() + " is not a sealed interface");
    }
    Variant[] variants = new Variant[permitted.length];
    MethodHandles.Lookup lookup = MethodHandles.publicLookup();
    for (int i = 0; i < permitted.length; i++) {
      Class<?> record = permitted[i];
      RecordComponent[] components = record.getRecordComponents();
      if (components == null) {
        throw new IllegalArgumentException(record.getName() + " is not a record");
      }
      Field[] fields = new Field[components.length];
      MethodHandle[] accessors = new MethodHandle[components.length];
      Class<?>[] parameters = new Class<?>[components.length];
      try {
        for (int c = 0; c < components.length; c++) {
          fields[c] = Field.of(components[c]);
          accessors[c] = lookup.unreflect(components[c].getAccessor())
              .asType(MethodType.methodType(Object.class, Object.class));
          parameters[c] = components[c].getType();
        }
        MethodHandle constructor = lookup.unreflectConstructor(
                record.getDeclaredConstructor(parameters))
            .asSpreader(Object[].class, components.length)
            .asType(MethodType.methodType(Object.class, Object[].class));
        variants[i] = new Variant(record, fields, accessors, constructor);
      } catch (ReflectiveOperationException e) {
        throw new IllegalArgumentException(record.getName() + ": " + e.getMessage(), e);
      }
    }
    return variants;
  }
}
