package org.longitude.extract;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.longitude.common.Reason;
import org.longitude.config.Source;

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
  /**
   * Uncompressed files larger than this are read as byte ranges of this size, spread over
   * workers: parsing, not reading, is the cost, and one file would keep it on one core. Small
   * enough that the runner's random spread of ranges over workers evens out (1M Observations,
   * 2 workers: 32 MiB ranges left one worker busy alone for the last ~15% of the pull).
   */
  static final long SPLIT_BYTES = 8L << 20;

  private NdjsonFilePull() {}

  /** Where the lines of a file go. */
  interface Sink {
    /** A line to hand on as a resource: its bytes, valid UTF-8. */
    void accept(byte[] json);

    /** A line counted and quarantined at the source; its content is not kept. */
    void refuse(Reason reason, long lineNumber);
  }

  /**
   * The tasks that read one file: byte ranges of {@link #SPLIT_BYTES} for an uncompressed file
   * larger than that (so one large file is parsed on every worker), else the whole file.
   */
  static List<PullTask> tasks(String clinic, Source source, String resourceType,
      MatchResult.Metadata file) {
    String path = file.resourceId().toString();
    long size = path.endsWith(".gz") ? 0 : file.sizeBytes();
    if (size <= SPLIT_BYTES) {
      return List.of(new PullTask(clinic, source, resourceType, path));
    }
    List<PullTask> tasks = new ArrayList<>();
    for (long from = 0; from < size; from += SPLIT_BYTES) {
      tasks.add(new PullTask(clinic, source, resourceType, path, null,
          new PullTask.ByteRange(from, Math.min(size, from + SPLIT_BYTES))));
    }
    return tasks;
  }

  /**
   * Streams each non-blank line to {@code sink} (with a byte range, the lines that start in
   * it); returns the number of lines read.
   */
  static long pull(PullTask task, Sink sink) {
    // A local path or a URL (s3://...): Beam's file systems open both as seekable channels.
    String file = task.query();
    boolean gzip = file.endsWith(".gz");
    if (gzip) {
      checkInflatedSize(task, file);
    }
    PullTask.ByteRange range = task.bytes();
    // A range's first line starts after the first newline at or after from - 1.
    long at = range == null ? 0 : Math.max(0, range.from() - 1);
    long lines = 0;
    try (InputStream raw = Channels.newInputStream(open(file).position(at));
        InputStream in = gzip ? new GZIPInputStream(raw, 1 << 16)
            : new BufferedInputStream(raw, 1 << 16)) {
      if (range != null && range.from() > 0) {
        long skipped = skipThroughNewline(in);
        if (skipped < 0) {
          return 0;
        }
        at += skipped;
      }
      BoundedLineReader reader = new BoundedLineReader(in, MAX_LINE_BYTES, at == 0);
      for (BoundedLineReader.Line line = reader.next(); line != null; line = reader.next()) {
        if (range != null && at + line.start() >= range.to()) {
          break; // the next range's first line
        }
        switch (line.kind()) {
          case TEXT -> sink.accept(line.bytes());
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

  private static SeekableByteChannel open(String file) throws IOException {
    return (SeekableByteChannel) FileSystems.open(FileSystems.matchNewResource(file, false));
  }

  /** Reads through the next newline; returns the bytes read, or -1 when none is left. */
  private static long skipThroughNewline(InputStream in) throws IOException {
    long n = 0;
    for (int b = in.read(); b >= 0; b = in.read()) {
      n++;
      if (b == '\n') {
        return n;
      }
    }
    return -1;
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
  private static void checkInflatedSize(PullTask task, String file) {
    try {
      long compressed;
      try (SeekableByteChannel channel = open(file)) {
        compressed = channel.size();
      }
      long limit = inflateLimit(compressed);
      long inflated = 0;
      byte[] scratch = new byte[1 << 16];
      try (InputStream in = new GZIPInputStream(Channels.newInputStream(open(file)), 1 << 16)) {
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
  static String resourceTypeOf(String name) {
    int dot = name.indexOf('.');
    return dot < 0 ? name : name.substring(0, dot);
  }
}
