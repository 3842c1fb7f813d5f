package org.longitude.extract;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.longitude.common.Reason;

/**
 * Streams the lines of one NDJSON file ({@code .ndjson} or {@code .ndjson.gz}) within fixed
 * limits: a line longer than {@link #MAX_LINE_BYTES} or not valid UTF-8 is refused on its own
 * (the rest of the file still flows), and a {@code .gz} file that would inflate beyond
 * {@link #inflateLimit} is refused whole before any of its lines is handed on.
 */
final class NdjsonFilePull {
  /**
   * The longest line accepted, in bytes. A longer line is counted as
   * {@link Reason#RECORD_TOO_LARGE} and skipped without being held in memory; none of the
   * resource types pulled comes near this size.
   */
  static final int MAX_LINE_BYTES = 16 << 20;
  /** A {@code .gz} file may inflate to this many times its compressed size... */
  static final long MAX_INFLATE_RATIO = 100;
  /** ...but never less than this, so that small files are not held to the ratio. */
  static final long MIN_INFLATE_ALLOWANCE = 64L << 20;

  private NdjsonFilePull() {}

  /** Where the lines of a file go. */
  interface Sink {
    /** A line to hand on as a resource. */
    void accept(String json);

    /** A line counted and quarantined at the source; its content is not kept. */
    void refuse(Reason reason, long lineNumber);
  }

  /** Streams each non-blank line to {@code sink}; returns the number of lines read. */
  static long pull(PullTask task, Sink sink) {
    Path file = Path.of(task.query());
    boolean gzip = file.toString().endsWith(".gz");
    if (gzip) {
      checkInflatedSize(task, file);
    }
    long lines = 0;
    try (InputStream raw = Files.newInputStream(file);
        InputStream in = gzip ? new GZIPInputStream(raw, 1 << 16)
            : new BufferedInputStream(raw, 1 << 16)) {
      BoundedLineReader reader = new BoundedLineReader(in, MAX_LINE_BYTES);
      for (BoundedLineReader.Line line = reader.next(); line != null; line = reader.next()) {
        switch (line.kind()) {
          case TEXT -> sink.accept(line.text());
          case TOO_LARGE -> sink.refuse(Reason.RECORD_TOO_LARGE, line.number());
          case INVALID_UTF8 -> sink.refuse(Reason.INVALID_UTF8, line.number());
        }
        lines++;
      }
      return lines;
    } catch (IOException e) {
      throw new PullFailedException("clinic '" + task.clinic() + "': cannot read " + file
          + " after " + lines + " line(s): " + FhirSearchPull.describe(e), e);
    }
  }

  /** How far a {@code .gz} file of {@code compressedBytes} may inflate. */
  static long inflateLimit(long compressedBytes) {
    return Math.max(MIN_INFLATE_ALLOWANCE, compressedBytes * MAX_INFLATE_RATIO);
  }

  /**
   * Inflates the file once, discarding the bytes, and refuses it when it grows past
   * {@link #inflateLimit}: a gzip bomb (or a corrupt export) must not fill a worker's memory
   * or disk, and a file refused halfway would leave its first lines counted, its rest lost.
   */
  private static void checkInflatedSize(PullTask task, Path file) {
    try {
      long compressed = Files.size(file);
      long limit = inflateLimit(compressed);
      long inflated = 0;
      byte[] scratch = new byte[1 << 16];
      try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16)) {
        for (int n = in.read(scratch); n >= 0; n = in.read(scratch)) {
          inflated += n;
          if (inflated > limit) {
            org.apache.beam.sdk.metrics.Metrics.counter(Extract.CLINICS_NAMESPACE,
                task.clinic() + "|refused_files").inc();
            throw new PullFailedException("clinic '" + task.clinic() + "': refused " + file
                + ": it inflates to more than " + limit + " bytes from " + compressed
                + " compressed (limit: " + MAX_INFLATE_RATIO + "x, at least "
                + MIN_INFLATE_ALLOWANCE + " bytes); ask the clinic for an uncompressed or "
                + "split export", null);
          }
        }
      }
    } catch (IOException e) {
      throw new PullFailedException("clinic '" + task.clinic() + "': cannot read " + file
          + ": " + FhirSearchPull.describe(e), e);
    }
  }

  /** The resource type a Bulk Data file name stands for: {@code Observation.001.ndjson}. */
  static String resourceTypeOf(Path file) {
    String name = file.getFileName().toString();
    int dot = name.indexOf('.');
    return dot < 0 ? name : name.substring(0, dot);
  }
}
