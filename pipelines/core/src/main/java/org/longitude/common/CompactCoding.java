package org.longitude.common;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.util.VarInt;

/**
 * The field encodings the pipeline's own coders are built from: a presence byte before
 * nullable values, variable-length integers, UTF-8 strings, dates as epoch days. Each
 * encoding is a function of the value alone, so coders built from them are deterministic.
 *
 * <p>Why not Java serialization ({@code SerializableCoder}): it writes class descriptors with
 * every element and reflects over fields, and it was the largest per-element cost between
 * steps (see README, "Performance").
 */
public final class CompactCoding {
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();
  private static final int ABSENT = 0;
  private static final int PRESENT = 1;

  private CompactCoding() {}

  public static void writeString(String value, OutputStream out) throws IOException {
    if (value == null) {
      out.write(ABSENT);
    } else {
      out.write(PRESENT);
      STRING.encode(value, out);
    }
  }

  public static String readString(InputStream in) throws IOException {
    return present(in) ? STRING.decode(in) : null;
  }

  public static void writeInt(int value, OutputStream out) throws IOException {
    VarInt.encode(value, out);
  }

  public static int readInt(InputStream in) throws IOException {
    return VarInt.decodeInt(in);
  }

  public static void writeLong(long value, OutputStream out) throws IOException {
    VarInt.encode(value, out);
  }

  public static long readLong(InputStream in) throws IOException {
    return VarInt.decodeLong(in);
  }

  public static void writeInteger(Integer value, OutputStream out) throws IOException {
    if (value == null) {
      out.write(ABSENT);
    } else {
      out.write(PRESENT);
      VarInt.encode(value.intValue(), out);
    }
  }

  public static Integer readInteger(InputStream in) throws IOException {
    return present(in) ? VarInt.decodeInt(in) : null;
  }

  public static void writeBoolean(boolean value, OutputStream out) throws IOException {
    out.write(value ? PRESENT : ABSENT);
  }

  public static boolean readBoolean(InputStream in) throws IOException {
    return present(in);
  }

  public static void writeDate(LocalDate value, OutputStream out) throws IOException {
    if (value == null) {
      out.write(ABSENT);
    } else {
      out.write(PRESENT);
      VarInt.encode(value.toEpochDay(), out);
    }
  }

  public static LocalDate readDate(InputStream in) throws IOException {
    return present(in) ? LocalDate.ofEpochDay(VarInt.decodeLong(in)) : null;
  }

  public static void writeVersion(RecordVersion value, OutputStream out) throws IOException {
    VarInt.encode(value.number(), out);
    STRING.encode(value.text(), out);
    VarInt.encode(value.lastUpdatedMillis(), out);
  }

  public static RecordVersion readVersion(InputStream in) throws IOException {
    return new RecordVersion(VarInt.decodeLong(in), STRING.decode(in), VarInt.decodeLong(in));
  }

  /** A list of nullable integers (item answers: null where not sent). */
  public static void writeIntegers(List<Integer> values, OutputStream out) throws IOException {
    VarInt.encode(values.size(), out);
    for (Integer v : values) {
      writeInteger(v, out);
    }
  }

  /** Returns an unmodifiable list that may hold nulls (List.of cannot). */
  public static List<Integer> readIntegers(InputStream in) throws IOException {
    int n = VarInt.decodeInt(in);
    if (n == 0) {
      return List.of();
    }
    List<Integer> values = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      values.add(readInteger(in));
    }
    return Collections.unmodifiableList(values);
  }

  /** A list of non-null strings. */
  public static void writeStrings(List<String> values, OutputStream out) throws IOException {
    VarInt.encode(values.size(), out);
    for (String v : values) {
      STRING.encode(v, out);
    }
  }

  public static List<String> readStrings(InputStream in) throws IOException {
    int n = VarInt.decodeInt(in);
    String[] values = new String[n];
    for (int i = 0; i < n; i++) {
      values[i] = STRING.decode(in);
    }
    return List.of(values);
  }

  /** A type tag: one byte naming which variant of a sealed type follows. */
  public static int readTag(InputStream in) throws IOException {
    int tag = in.read();
    if (tag < 0) {
      throw new EOFException("end of stream before a type tag");
    }
    return tag;
  }

  private static boolean present(InputStream in) throws IOException {
    int b = in.read();
    if (b == ABSENT) {
      return false;
    }
    if (b == PRESENT) {
      return true;
    }
    throw new IOException(b < 0 ? "end of stream before a presence byte"
        : "corrupt encoding: presence byte " + b);
  }
}
