package org.longitude.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.StructuredCoder;
import org.apache.beam.sdk.util.VarInt;

/**
 * Wraps a coder whose encoding is written a byte at a time (presence bytes, variable-length
 * integers) so that the runner's stream sees one length-prefixed block per element: the
 * element is encoded into a per-thread buffer, then written in one call, and read back in one
 * call before it is decoded from memory. On Flink every single-byte write or read goes
 * through two wrapper calls into its paged memory views, which made encoding a participant's
 * events (mostly presence bytes and small integers) cost more than building them.
 */
public final class BufferedCoder<T> extends StructuredCoder<T> {
  private static final ThreadLocal<Buffer> BUFFER = ThreadLocal.withInitial(Buffer::new);
  private final Coder<T> coder;

  private BufferedCoder(Coder<T> coder) {
    this.coder = coder;
  }

  public static <T> BufferedCoder<T> of(Coder<T> coder) {
    return new BufferedCoder<>(coder);
  }

  @Override
  public void encode(T value, OutputStream out) throws IOException {
    Buffer shared = BUFFER.get();
    // A buffered coder nested in another one (on this thread) gets a buffer of its own.
    Buffer buffer = shared.inUse ? new Buffer() : shared;
    buffer.reset();
    buffer.inUse = true;
    try {
      coder.encode(value, buffer);
      VarInt.encode(buffer.size, out);
      out.write(buffer.bytes, 0, buffer.size);
    } finally {
      buffer.inUse = false;
    }
  }

  @Override
  public T decode(InputStream in) throws IOException {
    int length = VarInt.decodeInt(in);
    if (length < 0) {
      throw new CoderException("corrupt length " + length);
    }
    byte[] bytes = in.readNBytes(length);
    if (bytes.length != length) {
      throw new CoderException("end of stream inside an element of " + length + " bytes");
    }
    return coder.decode(new MemoryInput(bytes));
  }

  @Override
  public List<? extends Coder<?>> getCoderArguments() {
    return List.of(coder);
  }

  @Override
  public void verifyDeterministic() throws NonDeterministicException {
    verifyDeterministic(this, "the wrapped coder must be deterministic", coder);
  }

  @Override
  public boolean consistentWithEquals() {
    return coder.consistentWithEquals();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BufferedCoder<?> other && coder.equals(other.coder);
  }

  @Override
  public int hashCode() {
    return Objects.hash(BufferedCoder.class, coder);
  }

  /** A growable byte buffer, reused per thread; unsynchronized (ByteArrayOutputStream is not). */
  private static final class Buffer extends OutputStream {
    private byte[] bytes = new byte[1 << 12];
    private int size;
    private boolean inUse;

    void reset() {
      if (bytes.length > 1 << 20) {
        bytes = new byte[1 << 12]; // do not keep a large buffer after one large element
      }
      size = 0;
    }

    @Override
    public void write(int b) {
      ensure(1);
      bytes[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      ensure(len);
      System.arraycopy(b, off, bytes, size, len);
      size += len;
    }

    private void ensure(int more) {
      if (size + more > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
      }
    }
  }

  /** Reads one element's bytes; unsynchronized (ByteArrayInputStream is not). */
  private static final class MemoryInput extends InputStream {
    private final byte[] bytes;
    private int pos;

    MemoryInput(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    public int read() {
      return pos < bytes.length ? bytes[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (pos >= bytes.length) {
        return len == 0 ? 0 : -1;
      }
      int n = Math.min(len, bytes.length - pos);
      System.arraycopy(bytes, pos, b, off, n);
      pos += n;
      return n;
    }
  }
}
