package org.longitude.extract;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What incremental runs start from: {@code <output>/restricted/state.json}, owner-only (it
 * names landing folders). Per clinic, the high-water mark (the server's time of the last
 * complete pull) and the runs whose landings, together, make up the clinic's current data
 * since its last full pull.
 *
 * @param clinics by clinic id
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PullState(Map<String, ClinicState> clinics) {
  public static final String FILE = "state.json";
  private static final ObjectMapper JSON = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /**
   * One clinic.
   *
   * @param highWaterMark ISO instant, server time: the next run asks for changes after it
   * @param landings run ids whose {@code landing/<run>/<clinic>/} folders hold its data, oldest
   *     first (the first is the last full pull)
   * @param pulledFrom the base URL the mark belongs to: another server's marks mean nothing
   */
  public record ClinicState(String highWaterMark, List<String> landings, String pulledFrom) {}

  public PullState {
    clinics = clinics == null ? Map.of() : Map.copyOf(clinics);
  }

  public static PullState empty() {
    return new PullState(Map.of());
  }

  public static Path path(Path restricted) {
    return restricted.resolve(FILE);
  }

  /** The state in {@code restricted}, or empty when there is none yet. */
  public static PullState read(Path restricted) throws IOException {
    Path file = path(restricted);
    return Files.isRegularFile(file) ? JSON.readValue(file.toFile(), PullState.class) : empty();
  }

  /** Writes owner-only, through a temporary file and an atomic rename. */
  public void write(Path restricted) throws IOException {
    Path tmp = restricted.resolve(FILE + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(tmp,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    JSON.writeValue(tmp.toFile(), this);
    Files.move(tmp, path(restricted), StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
  }

  /** Every run id whose landing some clinic still needs (pruning must keep these). */
  public Set<String> referencedRuns() {
    Set<String> runs = new java.util.TreeSet<>();
    clinics.values().forEach(c -> runs.addAll(c.landings()));
    return runs;
  }

  /**
   * The state after a published run. A clinic that reported marks and did not fail gets the
   * smallest mark; its landings become this run's alone after a full pull, or grow by this
   * run after an incremental one. Failed clinics and clinics without marks (NDJSON folders,
   * read whole every run) keep what they had.
   *
   * @param incremental the clinics this run pulled incrementally
   * @param baseUrls each clinic's base URL in this run
   */
  public PullState after(String runId, Map<String, Instant> marks, Set<String> failed,
      Set<String> incremental, Map<String, String> baseUrls) {
    Map<String, ClinicState> next = new TreeMap<>(clinics);
    marks.forEach((clinic, mark) -> {
      if (failed.contains(clinic)) {
        return;
      }
      List<String> landings = new ArrayList<>();
      ClinicState before = clinics.get(clinic);
      if (incremental.contains(clinic) && before != null) {
        landings.addAll(before.landings());
      }
      landings.add(runId);
      next.put(clinic, new ClinicState(Slices.format(mark), List.copyOf(landings),
          baseUrls.get(clinic)));
    });
    return new PullState(next);
  }
}
