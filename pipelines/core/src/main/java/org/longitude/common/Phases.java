package org.longitude.common;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * Wall-clock marks of this process's phases (options parsed, graph built, pipeline done,
 * report written...), for the small-study benchmark ({@code bench --small}), which starts
 * {@code longitude run} as a child process and names a file in {@code LONGITUDE_PHASES}.
 * Each mark appends one line, {@code <phase> <ms since the process started> <process CPU ms>},
 * at once: a run that exits or fails midway keeps the marks it reached, and nothing is held in
 * memory.
 * Without the variable a mark does nothing. Phase names only, never data.
 */
public final class Phases {
  /** The environment variable naming the file marks are appended to. */
  public static final String FILE_VARIABLE = "LONGITUDE_PHASES";
  private static final Path FILE = fileOrNull(System.getenv(FILE_VARIABLE));
  /** The process start (the launcher script's, which execs the JVM in the same process). */
  private static final long START_MILLIS = ProcessHandle.current().info().startInstant()
      .map(Instant::toEpochMilli).orElse(System.currentTimeMillis());

  private Phases() {}

  /** Records that {@code phase} ended now. */
  public static void mark(String phase) {
    if (FILE == null) {
      return;
    }
    long cpuNanos = ((com.sun.management.OperatingSystemMXBean)
        ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    String line = phase + " " + (System.currentTimeMillis() - START_MILLIS) + " "
        + cpuNanos / 1_000_000 + "\n";
    try {
      Files.writeString(FILE, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      // A benchmark aid: a mark that cannot be written must never fail the run.
    }
  }

  private static Path fileOrNull(String name) {
    return name == null || name.isBlank() ? null : Path.of(name);
  }
}
