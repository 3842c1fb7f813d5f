package org.longitude.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NdjsonLinesTest {

  @Test
  void handsOnEachLineWithItsNumber(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("Patient.ndjson");
    Files.writeString(file, "{\"a\":1}\r\n\n  \t\n{\"b\":2}\n{\"c\":3}", StandardCharsets.UTF_8);
    assertEquals(List.of("1 {\"a\":1}", "4 {\"b\":2}", "5 {\"c\":3}"), lines(file));
  }

  @Test
  void readsLinesAcrossAndLongerThanItsBlocks(@TempDir Path dir) throws IOException {
    String longLine = "{\"x\":\"" + "y".repeat(200_000) + "\"}";
    StringBuilder text = new StringBuilder(longLine).append('\n');
    List<String> expected = new ArrayList<>(List.of("1 " + longLine));
    for (int i = 0; i < 20_000; i++) { // ~300 KB of short lines: many block boundaries
      String line = "{\"i\":" + i + "}";
      text.append(line).append('\n');
      expected.add((i + 2) + " " + line);
    }
    Path file = dir.resolve("Observation.ndjson");
    Files.writeString(file, text, StandardCharsets.UTF_8);
    assertEquals(expected, lines(file));
  }

  private static List<String> lines(Path file) throws IOException {
    List<String> lines = new ArrayList<>();
    NdjsonLines.read(file, (bytes, from, length, number) ->
        lines.add(number + " " + new String(bytes, from, length, StandardCharsets.UTF_8)));
    return lines;
  }
}
