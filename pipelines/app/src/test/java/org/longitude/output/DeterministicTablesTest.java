package org.longitude.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.longitude.common.Schemas;
import org.longitude.config.Study;
import org.longitude.config.StudyKey;
import org.longitude.demo.DemoClinics;
import org.longitude.demo.DemoStudy;
import org.longitude.demo.SyntheticStudy;
import org.longitude.operate.StudyRun;
import org.longitude.pipeline.PipelineRun;
import org.longitude.testing.ParquetRows;

/**
 * The same study run twice (same data, key and run id, two output folders) gives
 * byte-identical research files, and observations files are sorted and hold each
 * participant's rows of a measure in one file.
 */
class DeterministicTablesTest {
  private static final StudyKey KEY = StudyKey.of(
      "deterministic-tables-test-key-32-bytes!".getBytes());
  private static final String RUN_ID = "20260630T120000Z";
  private static final Comparator<Comparable<Object>> NULLS_FIRST =
      Comparator.nullsFirst(Comparator.naturalOrder());
  /** A participant's day: the shifted date, else the year and days since index. */
  private static final Comparator<GenericRecord> DAY = Comparator
      .comparing((GenericRecord r) -> value(r, "effective_date"), NULLS_FIRST)
      .thenComparing(r -> value(r, "effective_year"), NULLS_FIRST)
      .thenComparing(r -> value(r, "days_since_index"), NULLS_FIRST);
  @TempDir static Path dir;
  private static DemoClinics clinics;
  private static Path first;
  private static Path second;

  @BeforeAll
  static void runTwice() throws IOException {
    clinics = DemoClinics.start(SyntheticStudy.generate(11, 12));
    Study study = DemoStudy.against(clinics);
    first = run(study, dir.resolve("first"));
    second = run(study, dir.resolve("second"));
  }

  @AfterAll
  static void stopClinics() {
    clinics.close();
  }

  private static Path run(Study study, Path output) throws IOException {
    PipelineOptions options = PipelineOptionsFactory.create();
    options.setRunner(DirectRunner.class);
    // Two whole runs: the per-element checks are DemoChainTest's job, not this test's.
    PipelineRun.tuneForProduction(options);
    StudyRun.Result result = StudyRun.run(study, KEY, output, options, RUN_ID,
        SyntheticStudy.REFERENCE_DATE);
    assertEquals(StudyRun.Status.SUCCESS, result.status());
    return result.layout().researchStaging();
  }

  @Test
  void rerunGivesByteIdenticalResearchFiles() throws Exception {
    Map<String, String> a = digests(first);
    Map<String, String> b = digests(second);
    assertTrue(a.keySet().stream().anyMatch(f -> f.startsWith("observations/PHQ9-")), a.keySet()
        .toString());
    assertTrue(a.keySet().stream().anyMatch(f -> f.endsWith(".avro")));
    assertTrue(a.size() >= 20, "research files: " + a.size());
    assertEquals(a.keySet(), b.keySet());
    a.forEach((file, digest) -> assertEquals(digest, b.get(file), file));
  }

  @Test
  void observationsAreSortedAndOneParticipantLivesInOneFilePerMeasure() throws IOException {
    Map<String, String> fileOfParticipantMeasure = new HashMap<>();
    int files = 0;
    int rows = 0;
    try (Stream<Path> list = Files.list(first.resolve(Schemas.OBSERVATIONS))) {
      for (Path file : list.filter(f -> f.toString().endsWith(".parquet")).sorted().toList()) {
        files++;
        GenericRecord previous = null;
        for (GenericRecord r : ParquetRows.read(file)) {
          rows++;
          String name = file.getFileName().toString();
          String measure = r.get("measure").toString();
          assertTrue(name.startsWith(measure + "-"), name + " holds " + measure);
          String participant = r.get("participant_id").toString();
          String other = fileOfParticipantMeasure.putIfAbsent(participant + "|" + measure, name);
          assertTrue(other == null || other.equals(name), "participant in " + other + " and " + name);
          if (previous != null) {
            int byParticipant = previous.get("participant_id").toString().compareTo(participant);
            assertTrue(byParticipant <= 0, "participants out of order in " + name);
            if (byParticipant == 0) {
              assertTrue(DAY.compare(previous, r) <= 0, "days out of order in " + name);
            }
          }
          previous = r;
        }
      }
    }
    assertTrue(files > 2, "observation files: " + files);
    assertTrue(rows > 100, "observation rows: " + rows);
  }

  @Test
  void duckDbReadsTheFilesAndFindsOneParticipant() throws Exception {
    List<GenericRecord> rows = new ArrayList<>();
    try (Stream<Path> list = Files.list(first.resolve(Schemas.OBSERVATIONS))) {
      for (Path file : list.filter(f -> f.toString().endsWith(".parquet")).toList()) {
        rows.addAll(ParquetRows.read(file));
      }
    }
    String participant = rows.get(rows.size() / 2).get("participant_id").toString();
    long ofParticipant = rows.stream()
        .filter(r -> r.get("participant_id").toString().equals(participant)).count();
    String glob = first.resolve(Schemas.OBSERVATIONS) + "/*.parquet";
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        PreparedStatement all = c.prepareStatement("SELECT count(*) FROM read_parquet(?)");
        PreparedStatement one = c.prepareStatement(
            "SELECT count(*) FROM read_parquet(?) WHERE participant_id = ?")) {
      all.setString(1, glob);
      assertEquals(rows.size(), single(all));
      one.setString(1, glob);
      one.setString(2, participant);
      assertEquals(ofParticipant, single(one));
    }
  }

  private static long single(PreparedStatement query) throws Exception {
    try (ResultSet rs = query.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void shardCountGrowsWithRowsSoAFileSortsBoundedRows() {
    assertEquals(2, TableLayout.shards(10, 2));
    assertEquals(2, TableLayout.shards(TableLayout.MAX_ROWS_PER_FILE * 2L, 2));
    assertEquals(3, TableLayout.shards(TableLayout.MAX_ROWS_PER_FILE * 2L + 1, 2));
    assertEquals(TableLayout.shard("p-1", 7), TableLayout.shard("p-1", 7));
  }

  @SuppressWarnings("unchecked")
  private static Comparable<Object> value(GenericRecord r, String field) {
    return (Comparable<Object>) r.get(field); // LocalDate or Integer, as the reader gives
  }


  private static Map<String, String> digests(Path research) throws Exception {
    Map<String, String> digests = new TreeMap<>();
    try (Stream<Path> files = Files.walk(research)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(f)) {
          sha.update(in.readAllBytes());
        }
        digests.put(research.relativize(f).toString(), HexFormat.of().formatHex(sha.digest()));
      }
    }
    return digests;
  }
}
