package org.longitude.extract;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads NDJSON lines from bytes without ever holding more than {@code maxBytes} of one line
 * ({@link java.io.BufferedReader#readLine} would build a line of any length). Strips a UTF-8
 * byte order mark at the start and a {@code \r} before each {@code \n}; skips blank lines;
 * decodes UTF-8 strictly, so invalid byte sequences are reported rather than replaced.
 */
final class BoundedLineReader {
  /** What one line turned out to be. */
  enum Kind { TEXT, TOO_LARGE, INVALID_UTF8 }

  /**
   * One non-blank line.
   *
   * @param number its 1-based line number in what was read
   * @param start the byte offset of its start in what was read
   * @param bytes the line, valid UTF-8, only for {@link Kind#TEXT}
   */
  record Line(long number, long start, Kind kind, byte[] bytes) {}

  private static final int SMALL = 8 << 10;

  private final InputStream in;
  private final int maxBytes;
  /** Whether the input starts at the start of a file, where a byte order mark may be. */
  private final boolean fileStart;
  /** Bytes read from {@code in} so far. */
  private long read;
  private final byte[] buf = new byte[1 << 16];
  private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT)
      .onUnmappableCharacter(CodingErrorAction.REPORT);
  private int pos;
  private int limit;
  private byte[] line = new byte[SMALL];
  private int len;
  private long number;

  BoundedLineReader(InputStream in, int maxBytes) {
    this(in, maxBytes, true);
  }

  BoundedLineReader(InputStream in, int maxBytes, boolean fileStart) {
    this.in = in;
    this.maxBytes = maxBytes;
    this.fileStart = fileStart;
  }

  /** The next non-blank line, or null at the end of the input. */
  Line next() throws IOException {
    while (true) {
      len = 0;
      long lineStart = read - (limit - pos);
      boolean tooLarge = false;
      boolean any = false;
      while (true) {
        if (pos == limit) {
          int n = in.read(buf, 0, buf.length);
          pos = 0;
          limit = Math.max(n, 0);
          read += limit;
          if (n < 0) {
            break;
          }
          continue;
        }
        any = true;
        int nl = pos;
        while (nl < limit && buf[nl] != '\n') {
          nl++;
        }
        int n = nl - pos;
        if (!tooLarge) {
          if ((long) len + n > maxBytes) {
            tooLarge = true; // the rest of this line is skipped, never kept
            len = 0;
            line = new byte[SMALL];
          } else {
            append(pos, n);
          }
        }
        pos = nl < limit ? nl + 1 : limit;
        if (nl < limit) {
          break;
        }
      }
      if (!any) {
        return null;
      }
      number++;
      if (tooLarge) {
        return new Line(number, lineStart, Kind.TOO_LARGE, null);
      }
      int start = 0;
      int end = len;
      if (fileStart && number == 1 && end >= 3 && line[0] == (byte) 0xEF && line[1] == (byte) 0xBB
          && line[2] == (byte) 0xBF) {
        start = 3;
      }
      if (end > start && line[end - 1] == '\r') {
        end--;
      }
      if (blank(start, end)) {
        continue;
      }
      Line result = validUtf8(start, end)
          ? new Line(number, lineStart, Kind.TEXT, Arrays.copyOfRange(line, start, end))
          : new Line(number, lineStart, Kind.INVALID_UTF8, null);
      if (line.length > (1 << 20)) {
        line = new byte[SMALL]; // do not keep a large buffer after one large line
      }
      return result;
    }
  }

  /**
   * Whether the line is valid UTF-8. Most lines are ASCII, checked in one pass without
   * branching per byte; only others are decoded, strictly, so that invalid sequences are
   * reported rather than replaced.
   */
  private boolean validUtf8(int start, int end) {
    int bits = 0;
    for (int i = start; i < end; i++) {
      bits |= line[i];
    }
    if (bits >= 0) {
      return true; // no byte with its high bit set: ASCII
    }
    try {
      utf8.decode(ByteBuffer.wrap(line, start, end - start));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  private void append(int from, int n) {
    if (len + n > line.length) {
      byte[] bigger = new byte[(int) Math.min(maxBytes, Math.max((long) line.length * 2, len + n))];
      System.arraycopy(line, 0, bigger, 0, len);
      line = bigger;
    }
    System.arraycopy(buf, from, line, len, n);
    len += n;
  }

  private boolean blank(int start, int end) {
    for (int i = start; i < end; i++) {
      byte b = line[i];
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }
}
