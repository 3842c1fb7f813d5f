package org.longitude.normalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.longitude.common.Outcome;
import org.longitude.common.Reason;
import org.longitude.config.ClinicMapping;
import org.longitude.config.Location;
import org.longitude.config.Study;
import org.longitude.config.StudyKey;
import org.longitude.config.StudyLoader;
import org.longitude.pipeline.RunSummary;
import org.longitude.operate.StudyRun;
import org.longitude.testing.StudyFiles;

/**
 * Input extremes through the NDJSON source, normalize and the run's accounting: each bad line
 * or file gets a named reason, the worker survives, and every other record still flows.
 */
class InputExtremesTest {
  private static final LocalDate TODAY = LocalDate.of(2026, 6, 30);
  private static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";
  private static final String PATIENT = "{\"resourceType\":\"Patient\",\"id\":\"p1\","
      + "\"birthDate\":\"1980-01-01\"}";
  /** Larger than the source's line limit (16 MiB), small enough for CI. */
  private static final int HUGE_LINE_BYTES = 20_000_000;
  /** The size, read in a child JVM whose heap is {@link #CAPPED_HEAP}. */
  private static final int FULL_SIZE_LINE_BYTES = 100_000_000;
  private static final String CAPPED_HEAP = "256m";
  private static final int DEEP = 100_000;

  @Test
  void extremesAreRefusedWithReasonsAndTheRestFlows(@TempDir Path dir) throws Exception {
    refuseExtremes(dir, HUGE_LINE_BYTES);
  }

  /**
   * The sizes (a 100 MB line) in a JVM whose heap is capped far below what holding
   * that line, or the inflated bomb, would take: no OutOfMemoryError, every case refused.
   */
  @Test
  void extremesAtFullSizeFitAMemoryCappedJvm(@TempDir Path dir) throws Exception {
    Path console = dir.resolve("console.txt");
    Process process = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + CAPPED_HEAP,
        "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"),
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
        InputExtremesTest.class.getName(), dir.resolve("capped").toString())
        .redirectErrorStream(true).redirectOutput(console.toFile()).start();
    assertTrue(process.waitFor(10, java.util.concurrent.TimeUnit.MINUTES), "child JVM finished");
    String out = Files.readString(console);
    assertEquals(0, process.exitValue(), out);
    assertTrue(out.contains("extremes refused within -Xmx" + CAPPED_HEAP), out);
  }

  /** Runs {@link #refuseExtremes} with a 100 MB line; for the memory-capped child JVM. */
  public static void main(String[] args) throws Exception {
    refuseExtremes(Files.createDirectories(Path.of(args[0])), FULL_SIZE_LINE_BYTES);
    System.out.println("extremes refused within -Xmx" + CAPPED_HEAP);
  }

  private static void refuseExtremes(Path dir, int hugeLineBytes) throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    List<String> good = BadInputs.goodObservations();
    // BOM at the start, CRLF line ends, blank lines: all accepted.
    writeBytes(data.resolve("Observation.001.ndjson"), bytes("\uFEFF" + good.get(0) + "\r\n\r\n"
        + good.get(1) + "\r\n" + good.get(2) + "\r\n"));
    // One line of 20 MB (100 MB capped), one nested 100,000 deep, one with invalid UTF-8, then a good one.
    try (OutputStream out = Files.newOutputStream(data.resolve("Observation.002.ndjson"))) {
      out.write(bytes("{\"resourceType\":\"Observation\",\"id\":\"huge\",\"note\":\""));
      byte[] chunk = new byte[1 << 20];
      java.util.Arrays.fill(chunk, (byte) 'x');
      for (int written = 0; written < hugeLineBytes; written += chunk.length) {
        out.write(chunk);
      }
      out.write(bytes("\"}\n"));
      out.write(bytes("{\"resourceType\":\"Observation\",\"id\":\"deep\",\"x\":"
          + "[".repeat(DEEP) + "]".repeat(DEEP) + "}\n"));
      out.write(bytes(BadInputs.observation("bad-utf8", "note=\"caf")));
      out.write(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF});
      out.write(bytes("\"}\n"));
      out.write(bytes(BadInputs.observation("after", "effectiveDateTime=\"2024-04-02T09:00:00Z\"",
          "valueInteger=9") + "\n"));
    }
    // A gzip file that is fine.
    writeBytes(data.resolve("Observation.003.ndjson.gz"), gzip(bytes(BadInputs.observation(
        "zipped", "effectiveDateTime=\"2024-05-02T09:00:00Z\"", "valueInteger=7") + "\n")));
    // Empty files, plain and gzip.
    Files.write(data.resolve("Condition.ndjson"), new byte[0]);
    writeBytes(data.resolve("Condition.002.ndjson.gz"), gzip(new byte[0]));
    Files.writeString(data.resolve("Patient.ndjson"), PATIENT + "\n");
    Files.writeString(data.resolve("MedicationAdministration.ndjson"),
        BadInputs.administration("m-good", "completed", "6130") + "\n");

    // A second clinic whose one gzip file inflates a thousand-fold (80 MB from ~80 kB).
    Path bombData = Files.createDirectories(dir.resolve("bomb-data"));
    Files.writeString(bombData.resolve("Patient.ndjson"), PATIENT + "\n");
    try (OutputStream out = new GZIPOutputStream(
        Files.newOutputStream(bombData.resolve("Observation.ndjson.gz")), 1 << 16)) {
      out.write(bytes(good.get(0) + "\n"));
      byte[] newlines = new byte[1 << 20];
      java.util.Arrays.fill(newlines, (byte) '\n');
      for (int i = 0; i < 80; i++) {
        out.write(newlines);
      }
    }
    long bombSize = Files.size(bombData.resolve("Observation.ndjson.gz"));
    assertEquals(true, 80L * (1 << 20) / bombSize > 500, "the bomb inflates "
        + 80L * (1 << 20) / bombSize + "x");

    Study study = StudyLoader.load(Location.file(writeStudy(dir)));
    PipelineOptions options = PipelineOptionsFactory.create();
    options.setRunner(DirectRunner.class);
    StudyRun.Result result = StudyRun.run(study,
        StudyKey.of("extremes-test-key-of-at-least-32-bytes".getBytes()), dir.resolve("out"),
        options, "extremes", TODAY);
    RunSummary summary = result.summary();

    assertEquals(List.of(), summary.imbalances());
    assertEquals(1, summary.reason(Reason.RECORD_TOO_LARGE.name()));
    assertEquals(1, summary.reason(Reason.JSON_TOO_DEEP.name()));
    assertEquals(1, summary.reason(Reason.INVALID_UTF8.name()));
    // 3 (BOM/CRLF file) + 4 (extremes file) + 1 (gzip) read; the 5 good ones written.
    assertEquals(8, summary.total("corpus", "Observation", Outcome.READ));
    assertEquals(5, summary.total("corpus", "Observation", Outcome.WRITTEN));
    assertEquals(0, summary.total("corpus", "Condition", Outcome.READ));
    // The bomb is refused whole (nothing of it read) and fails only its clinic.
    assertEquals(Set.of("bomb"), summary.failedClinics());
    assertEquals(0, summary.total("bomb", "Observation", Outcome.READ));
    assertEquals(1, summary.total("bomb", "Patient", Outcome.READ));
    assertEquals(StudyRun.Status.PARTIAL, result.status());
  }

  @Test
  void deepNestingIsAReasonNotAStackOverflow() {
    ClinicMapping mapping = new ClinicMapping("corpus", List.of(), List.of(), List.of());
    Study demo = StudyLoader.load(StudyLoader.DEMO);
    ResourceReader reader = new ResourceReader("corpus", demo.catalog(), mapping, TODAY);
    for (String open : List.of("[", "{\"a\":")) {
      String close = open.equals("[") ? "]" : "}";
      String json = "{\"resourceType\":\"Observation\",\"id\":\"d\",\"x\":"
          + open.repeat(DEEP) + "1" + close.repeat(DEEP) + "}";
      ResourceReader.Result r = reader.read("Observation", json);
      assertNotNull(r.dropped());
      assertEquals(Reason.JSON_TOO_DEEP, r.dropped().reason());
    }
    // Within the limit is fine (the value is read as usual).
    String nested = "{\"resourceType\":\"Observation\",\"id\":\"d\",\"x\":"
        + "[".repeat(ResourceReader.MAX_JSON_DEPTH - 5) + "]".repeat(ResourceReader.MAX_JSON_DEPTH - 5) + "}";
    ResourceReader.Result r = reader.read("Observation", nested);
    assertEquals(true, r.dropped() == null || r.dropped().reason() != Reason.JSON_TOO_DEEP);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static void writeBytes(Path file, byte[] b) throws IOException {
    Files.write(file, b);
  }

  private static byte[] gzip(byte[] b) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(b);
    }
    return out.toByteArray();
  }

  private static Path writeStudy(Path dir) throws IOException {
    for (String clinic : List.of("corpus", "bomb")) {
      Files.writeString(dir.resolve(clinic + ".yaml"), """
          clinic: %s
          medications:
            - {system: "%s", code: "6130"}
          """.formatted(clinic, RXNORM));
    }
    Path file = StudyFiles.oneClinicStudy(dir, "extremes", "corpus", "corpus.yaml",
        "{kind: ndjson, directory: data}");
    Files.writeString(file, Files.readString(file).replace("measures:", """
          - id: bomb
            mapping: bomb.yaml
            source: {kind: ndjson, directory: bomb-data}
        measures:"""));
    return file;
  }
}
