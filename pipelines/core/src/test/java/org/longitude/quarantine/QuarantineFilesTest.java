package org.longitude.quarantine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.longitude.common.Ledger;

/** A bundle's quarantined records: whole files per clinic, named by their content. */
class QuarantineFilesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final QuarantineRecord BAD_DATE = new QuarantineRecord("north", "Observation",
      "INVALID_DATE", "PHQ9", "normalize", "{\"resourceType\":\"Observation\",\"id\":\"o1\"}");
  private static final QuarantineRecord NOT_JSON = new QuarantineRecord("north", "Observation",
      "MALFORMED_JSON", null, "normalize", "{oops");
  private static final QuarantineRecord SOUTH = new QuarantineRecord("south", "Patient",
      "MISSING_ID", null, "normalize", "{\"resourceType\":\"Patient\"}");

  @Test
  void oneWholeFilePerClinicWithEveryRecordAsALine(@TempDir Path dir) throws IOException {
    Ledger ledger = new Ledger();
    QuarantineFiles files = new QuarantineFiles(dir.toString(), "normalize", ledger);
    files.write(BAD_DATE);
    files.write(SOUTH);
    files.write(NOT_JSON);
    assertEquals(List.of(), names(dir), "nothing visible before the bundle ends");
    files.publish();

    List<String> names = names(dir);
    assertEquals(2, names.size(), names.toString());
    Path north = dir.resolve(names.stream().filter(n -> n.startsWith("north-normalize-"))
        .findFirst().orElseThrow());
    List<String> lines = Files.readAllLines(north);
    assertEquals(2, lines.size());
    JsonNode first = JSON.readTree(lines.get(0));
    assertEquals("INVALID_DATE", first.get("reason").asText());
    assertEquals("PHQ9", first.get("measure").asText());
    assertEquals("o1", first.get("resource").get("id").asText()); // the resource, as JSON
    assertEquals("{oops", JSON.readTree(lines.get(1)).get("content").asText()); // not JSON
    assertTrue(names.stream().anyMatch(n -> n.matches("south-normalize-[0-9a-f]{16}\\.ndjson")));
    assertEquals(Map.of("FILE|" + north, 2L, "FILE|" + dir.resolve(names.get(1)), 1L),
        ledger.entries(), "the bundle's ledger lists its files with their records");
  }

  @Test
  void theSameRecordsGiveTheSameFileSoARetryReplacesIt(@TempDir Path dir) throws IOException {
    for (int attempt = 0; attempt < 2; attempt++) {
      QuarantineFiles files = new QuarantineFiles(dir.toString(), "timeline", new Ledger());
      files.write(BAD_DATE);
      files.publish();
    }
    assertEquals(1, names(dir).size(), names(dir).toString());
    QuarantineFiles other = new QuarantineFiles(dir.toString(), "timeline", new Ledger());
    other.write(NOT_JSON);
    other.publish();
    assertEquals(2, names(dir).size(), "other records, another file");
  }

  @Test
  void aBundleWithoutQuarantineLeavesNoFile(@TempDir Path dir) throws IOException {
    new QuarantineFiles(dir.toString(), "normalize", new Ledger()).publish();
    try (Stream<Path> all = Files.list(dir)) {
      assertEquals(0, all.count());
    }
  }

  /** The visible files (hidden ones are still being written). */
  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("."))
          .sorted().toList();
    }
  }
}
