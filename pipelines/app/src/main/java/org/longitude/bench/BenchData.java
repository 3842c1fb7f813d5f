package org.longitude.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.longitude.common.LocalFolders;
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
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Written last: requested size, seed (and shape) and Observation lines of a complete folder. */
  private static final String DONE = "generated.txt";

  private BenchData() {}

  /** The written folder and its number of Observation lines. */
  record Generated(Path dir, long observations) {}

  /**
   * Writes about {@code observations} Observation lines (whole participants, so the figure is
   * approximate) and the participants' other resources into {@code dir}, each participant
   * with at most {@code scoresPerParticipant} Observations (the first ones; 0: all it was
   * generated with). A folder this method completed for the same size, seed and shape is
   * reused as it is: generating is slower than most measured runs, and runs compared back to
   * back should not wait for it.
   */
  static Generated write(Path dir, long observations, long seed, int scoresPerParticipant)
      throws IOException {
    Path done = dir.resolve(DONE);
    String stamp = observations + " " + seed
        + (scoresPerParticipant > 0 ? "/" + scoresPerParticipant : "");
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
        if (scoresPerParticipant > 0) {
          keepFirstPerSubject(chunkDir.resolve("Observation.ndjson"), scoresPerParticipant);
        }
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
      LocalFolders.delete(chunkDir);
    }
    Files.writeString(done, stamp + " " + written);
    return new Generated(dir, written);
  }

  /** Keeps the first {@code max} lines of each subject (the generator writes them in order). */
  private static void keepFirstPerSubject(Path file, int max) throws IOException {
    Map<String, Integer> seen = new HashMap<>();
    List<String> kept = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      String subject = JSON.readTree(line).path("subject").path("reference").asText();
      if (seen.merge(subject, 1, Integer::sum) <= max) {
        kept.add(line);
      }
    }
    Files.write(file, kept);
  }

  static long lines(Path file) throws IOException {
    try (Stream<String> lines = Files.lines(file)) {
      return lines.filter(l -> !l.isBlank()).count();
    }
  }
}
