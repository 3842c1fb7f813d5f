package org.longitude.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What killed or retried attempts leave in a run's folders: files still being written (with
 * PHI in the restricted zone), Beam's temporary files, and whole landing or quarantine files
 * no counted bundle wrote. All go; the counted files and the launcher's own stay.
 */
class LeftoversTest {
  @TempDir Path output;

  @Test
  void partialAndUncountedFilesGoCountedOnesStay() throws Exception {
    RunLayout layout = new RunLayout(output, "r1");
    layout.create();
    Path counted = write(layout.quarantine().resolve("north-normalize-0123456789abcdef.ndjson"));
    Path landed = write(layout.landing().resolve("north/Patient-0123456789abcdef.ndjson"));
    Path merged = write(layout.landing().resolve(PullPlan.MERGED));
    Path table = write(layout.researchStaging()
        .resolve("observations/PHQ9-00000-of-00001.parquet"));
    Path ledger = write(Path.of(layout.data().ledger()).resolve("ledger-00000-of-00001.tsv"));
    // A killed attempt's files: being written, or whole but written by a discarded attempt.
    write(layout.quarantine().resolve(".north-normalize-7d5f.ndjson.inprogress"));
    write(layout.quarantine().resolve("north-timeline-fedcba9876543210.ndjson"));
    write(layout.landing().resolve("north/.Observation-0123.ndjson.inprogress"));
    write(layout.landing().resolve("north/Observation-fedcba9876543210.ndjson"));
    write(layout.researchStaging().resolve("observations/.PHQ9-00000-of-00001.avro.inprogress"));
    write(Path.of(layout.data().ledger()).resolve(".temp-beam-42/5f1e"));

    int removed = Leftovers.remove(layout.data(),
        Map.of(counted.toString(), 1L, landed.toString(), 1L));

    assertEquals(6, removed);
    assertEquals(List.of(merged, landed, counted, ledger, table), files(output));
  }

  @Test
  void withoutALedgerOnlyPartialFilesGo() throws Exception {
    RunLayout layout = new RunLayout(output, "r2");
    layout.create();
    Path whole = write(layout.quarantine().resolve("north-normalize-0123456789abcdef.ndjson"));
    write(layout.quarantine().resolve(".north-normalize-7d5f.ndjson.inprogress"));

    assertEquals(1, Leftovers.remove(layout.data(), null));
    assertEquals(List.of(whole), files(output));
  }

  private static Path write(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, "{}\n");
  }

  private static List<Path> files(Path root) throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      return all.filter(Files::isRegularFile).sorted().toList();
    }
  }
}
