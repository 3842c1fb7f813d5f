package org.longitude.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
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
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.longitude.cli.DemoStudy;
import org.longitude.common.Schemas;
import org.longitude.config.Study;
import org.longitude.config.StudyKey;
import org.longitude.demo.DemoClinics;
import org.longitude.demo.SyntheticStudy;
import org.longitude.pipeline.StudyRun;

/**
 * The same study run twice (same data, key and run id, two output folders) gives
 * byte-identical research files, and observations files are sorted and hold each
 * participant's rows of a measure in one file.
 */
class DeterministicTablesTest {
  private static final StudyKey KEY = StudyKey.of(
      "deterministic-tables-test-key-32-bytes!".getBytes());
  private static final String RUN_ID = "20260630T120000Z";
  /** A participant's day: the shifted date, else the year and days since index. */
  private static final Comparator<GenericRecord> DAY = Comparator
      .comparing((GenericRecord r) -> (Integer) r.get("effective_date"),
          Comparator.nullsFirst(Comparator.naturalOrder()))
      .thenComparing(r -> (Integer) r.get("effective_year"),
          Comparator.nullsFirst(Comparator.naturalOrder()))
      .thenComparing(r -> (Integer) r.get("days_since_index"),
          Comparator.nullsFirst(Comparator.naturalOrder()));
  @TempDir static Path dir;
  private static DemoClinics clinics;
  private static Path first;
  private static Path second;

  @BeforeAll
  static void runTwice() throws IOException {
    clinics = DemoClinics.start(SyntheticStudy.generate(11, 30));
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
        for (GenericRecord r : read(file)) {
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
  void shardCountGrowsWithRowsSoAFileSortsBoundedRows() {
    assertEquals(2, WriteTable.shards(10, 2));
    assertEquals(2, WriteTable.shards(WriteTable.MAX_ROWS_PER_FILE * 2L, 2));
    assertEquals(3, WriteTable.shards(WriteTable.MAX_ROWS_PER_FILE * 2L + 1, 2));
    assertEquals(WriteTable.shard("p-1", 7), WriteTable.shard("p-1", 7));
  }

  private static List<GenericRecord> read(Path file) throws IOException {
    List<GenericRecord> rows = new ArrayList<>();
    try (ParquetReader<GenericRecord> reader =
        AvroParquetReader.<GenericRecord>builder(new LocalInputFile(file)).build()) {
      for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
        rows.add(r);
      }
    }
    return rows;
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
