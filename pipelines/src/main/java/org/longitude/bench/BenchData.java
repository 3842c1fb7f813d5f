package org.longitude.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;
import org.longitude.demo.ClinicDataset;
import org.longitude.demo.NdjsonExport;
import org.longitude.demo.SyntheticStudy;

/**
 * One synthetic clinic in Bulk Data layout ({@code <Type>.ndjson}), generated in chunks of
 * participants so memory stays flat whatever the size: each chunk is a {@link SyntheticStudy}
 * with its own seed (participant and record ids are seeded UUIDs, so chunks do not collide),
 * of which only {@link #CLINIC} is exported and appended.
 */
final class BenchData {
  static final String CLINIC = "north";
  /** Participants per generated chunk; SyntheticStudy also generates the other two clinics. */
  private static final int CHUNK = 250;
  /** About how many Observation lines one participant has (measured: ~77 at 250 participants). */
  private static final int OBSERVATIONS_PER_PARTICIPANT = 77;
  /** Written last: requested size, seed and Observation lines of a complete folder. */
  private static final String DONE = "generated.txt";

  private BenchData() {}

  /** The written folder and its number of Observation lines. */
  record Generated(Path dir, long observations) {}

  /**
   * Writes about {@code observations} Observation lines (whole participants, so the figure is
   * approximate) and the participants' other resources into {@code dir}. A folder this method
   * completed for the same size and seed is reused as it is: generating is slower than most
   * measured runs, and runs compared back to back should not wait for it.
   */
  static Generated write(Path dir, long observations, long seed) throws IOException {
    Path done = dir.resolve(DONE);
    String stamp = observations + " " + seed;
    if (Files.exists(done)) {
      String[] recorded = Files.readString(done).trim().split(" ");
      if (recorded.length == 3 && stamp.equals(recorded[0] + " " + recorded[1])) {
        return new Generated(dir, Long.parseLong(recorded[2]));
      }
    }
    Files.createDirectories(dir);
    Files.deleteIfExists(done);
    for (String type : NdjsonExport.RESOURCE_TYPES) {
      Files.deleteIfExists(dir.resolve(type + ".ndjson"));
    }
    Path chunkDir = Files.createTempDirectory(dir, "chunk");
    long written = 0;
    int chunk = 0;
    try {
      while (written < observations) {
        // The last chunk is sized from the ratio seen so far, to land close to N.
        int participants = (int) Math.min(CHUNK,
            Math.ceil((double) observations / OBSERVATIONS_PER_PARTICIPANT));
        if (written > 0) {
          double perParticipant = (double) written / (chunk * (double) CHUNK);
          participants = (int) Math.max(1, Math.min(CHUNK,
              Math.ceil((observations - written) / perParticipant)));
        }
        ClinicDataset clinic = SyntheticStudy.generate(seed + chunk, participants).clinic(CLINIC);
        NdjsonExport.write(clinic, chunkDir);
        for (String type : NdjsonExport.RESOURCE_TYPES) {
          Path part = chunkDir.resolve(type + ".ndjson");
          try (OutputStream out = Files.newOutputStream(dir.resolve(type + ".ndjson"),
              StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            Files.copy(part, out);
          }
          if (type.equals("Observation")) {
            written += lines(part);
          }
        }
        chunk++;
      }
    } finally {
      deleteTree(chunkDir);
    }
    Files.writeString(done, stamp + " " + written);
    return new Generated(dir, written);
  }

  static long lines(Path file) throws IOException {
    try (Stream<String> lines = Files.lines(file)) {
      return lines.filter(l -> !l.isBlank()).count();
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
