package org.longitude.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.longitude.demo.DemoClinic;

/**
 * {@code bench-pull} on a tiny clinic: every Observation the clinic serves is pulled exactly
 * once, over the pages {@code _count} implies. No timings are asserted.
 */
class PullBenchTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long SEED = 7;

  @Test
  void pullsEveryObservationExactlyOnceAndReportsTheFigures(@TempDir Path out)
      throws IOException {
    StringWriter printed = new StringWriter();
    PullBench.Result result = new PullBench(
        new PullBench.Settings(2_000, 100, true, out, SEED), new PrintWriter(printed)).run();

    Path data = out.resolve("data").resolve(BenchData.CLINIC);
    Set<String> generated = ids(data.resolve("Observation.ndjson"));
    assertTrue(generated.size() >= 1_500, "about 2,000 Observations: " + generated.size());
    assertEquals(generated.size(), result.stored());
    assertEquals(generated.size(), result.pulled());
    assertEquals((generated.size() + 99) / 100, result.pages());
    assertTrue(result.peakHeapBytes() >= result.peakHeapAtQuarterBytes()
        && result.peakHeapAtQuarterBytes() > 0, "heap sampled at a quarter and at the end");
    assertTrue(printed.toString().contains(String.format("pulled %,d resources in %,d pages",
        result.pulled(), result.pages())), printed.toString());

    // Exactly once: the pulled ids, duplicates kept, are the server's ids.
    List<String> pulled = new ArrayList<>();
    try (DemoClinic clinic = PullBench.start(data, 100, false)) {
      PullBench.Result again = PullBench.pull(clinic, 100, 0, json -> pulled.add(id(json)));
      assertEquals(generated.size(), again.pulled());
    }
    assertEquals(generated.size(), pulled.size(), "no Observation pulled twice");
    assertEquals(generated, new HashSet<>(pulled));
  }

  private static Set<String> ids(Path ndjson) throws IOException {
    try (Stream<String> lines = Files.lines(ndjson)) {
      return lines.filter(l -> !l.isBlank()).map(PullBenchTest::id)
          .collect(java.util.stream.Collectors.toSet());
    }
  }

  private static String id(String json) {
    try {
      return JSON.readTree(json).path("id").asText();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
