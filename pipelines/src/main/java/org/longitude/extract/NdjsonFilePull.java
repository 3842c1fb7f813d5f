package org.longitude.extract;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/** Streams the lines of one NDJSON file ({@code .ndjson} or {@code .ndjson.gz}). */
final class NdjsonFilePull {
  private NdjsonFilePull() {}

  /** Streams each non-blank line to {@code sink}; returns the number of lines handed on. */
  static long pull(PullTask task, Consumer<String> sink) {
    Path file = Path.of(task.query());
    long lines = 0;
    try (InputStream raw = Files.newInputStream(file);
        InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
        BufferedReader reader = new BufferedReader(
            new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (!line.isBlank()) {
          sink.accept(line);
          lines++;
        }
      }
      return lines;
    } catch (IOException e) {
      throw new PullFailedException("clinic '" + task.clinic() + "': cannot read " + file
          + " after " + lines + " line(s): " + FhirSearchPull.describe(e), e);
    }
  }

  /** The resource type a Bulk Data file name stands for: {@code Observation.001.ndjson}. */
  static String resourceTypeOf(Path file) {
    String name = file.getFileName().toString();
    int dot = name.indexOf('.');
    return dot < 0 ? name : name.substring(0, dot);
  }
}
