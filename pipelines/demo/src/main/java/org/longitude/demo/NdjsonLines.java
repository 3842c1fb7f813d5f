package org.longitude.demo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The lines of an NDJSON file as bytes, read in blocks: no line is decoded into a string and
 * encoded back, which was most of loading a clinic from its files. Blank lines are skipped, a
 * line's {@code \r} before its {@code \n} is not part of it, and a last line without
 * {@code \n} counts.
 */
final class NdjsonLines {
  /** Receives a line: {@code length} bytes of {@code bytes} from {@code from}, 1-based. */
  interface Line {
    void accept(byte[] bytes, int from, int length, long number);
  }

  private NdjsonLines() {}

  static void read(Path file, Line line) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      int start = 0;
      int end = 0;
      int scanned = 0;
      long number = 0;
      while (true) {
        int newline = -1;
        for (int i = scanned; i < end; i++) {
          if (buffer[i] == '\n') {
            newline = i;
            break;
          }
        }
        if (newline >= 0) {
          hand(buffer, start, newline, ++number, line);
          start = newline + 1;
          scanned = start;
          continue;
        }
        scanned = end;
        if (start > 0) { // keep the partial line, at the buffer's start
          System.arraycopy(buffer, start, buffer, 0, end - start);
          end -= start;
          scanned -= start;
          start = 0;
        } else if (end == buffer.length) { // a line longer than the buffer
          buffer = Arrays.copyOf(buffer, buffer.length * 2);
        }
        int n = in.read(buffer, end, buffer.length - end);
        if (n < 0) {
          if (end > start) {
            hand(buffer, start, end, ++number, line);
          }
          return;
        }
        end += n;
      }
    }
  }

  private static void hand(byte[] buffer, int from, int to, long number, Line line) {
    if (to > from && buffer[to - 1] == '\r') {
      to--;
    }
    for (int i = from; i < to; i++) {
      if (!Character.isWhitespace(buffer[i])) {
        line.accept(buffer, from, to - from, number);
        return;
      }
    }
  }
}
