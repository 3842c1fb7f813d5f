package org.longitude.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.hdfs.HadoopFileSystemOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.longitude.common.BeamFiles;
import org.longitude.common.ChannelInputFile;
import org.longitude.common.Schemas;
import org.longitude.config.ConfigException;
import org.longitude.config.Source;
import org.longitude.config.Study;
import org.longitude.config.StudyKey;
import org.longitude.config.StudyLoader;
import org.longitude.demo.DemoClinics;
import org.longitude.demo.DemoStudy;
import org.longitude.demo.SyntheticStudy;
import org.longitude.operate.ManagedRun;
import org.longitude.operate.RunHistory;
import org.longitude.operate.RunManifest;
import org.longitude.operate.StudyRun;
import org.longitude.testing.S3Server;

/**
 * The demo study with its data on S3 — a real S3 server in this JVM on 127.0.0.1 — through
 * Beam's S3 file system on the DirectRunner (checks on): the summit clinic's NDJSON is read
 * from S3 too. Every research table read back from S3 equals a local run's, LATEST names the
 * run, the landing and quarantine are under restricted/ there, and nothing is half-written.
 */
class SharedOutputRunTest {
  private static final StudyKey KEY = StudyKey.of("shared-output-test-key-32-bytes!".getBytes());
  private static final String BUCKET = "study-data";
  private static final String SHARED = "s3://" + BUCKET + "/longitude/demo";
  private static final List<String> TABLES = List.of(Schemas.PARTICIPANTS,
      Schemas.OBSERVATIONS, Schemas.TREATMENTS, Schemas.OUTCOMES, Schemas.SURVIVAL,
      Schemas.LANDMARKS, Schemas.COURSE_OUTCOMES, Schemas.ATTRITION, Schemas.QUARANTINE,
      Schemas.RUN_SUMMARY);

  @Test
  void aStudyOnS3GivesTheLocalRunsTables(@TempDir Path local, @TempDir Path home)
      throws Exception {
    try (S3Server s3 = S3Server.start(BUCKET);
        DemoClinics clinics = DemoClinics.start(SyntheticStudy.generate(5, 8))) {
      PipelineOptions options = s3.configure(PipelineOptionsFactory.create());
      options.setRunner(DirectRunner.class);
      Study study = DemoStudy.against(clinics);
      StudyRun.Result run = ManagedRun.of(ndjsonOnS3(study), StudyLoader.DEMO, KEY, home, 10,
          notice -> { }).withSharedOutput(SHARED).run(options, SyntheticStudy.REFERENCE_DATE);
      StudyRun.Result localRun = StudyRun.run(study, KEY, local, options, "local-run",
          SyntheticStudy.REFERENCE_DATE);

      assertEquals(StudyRun.Status.SUCCESS, localRun.status());
      assertEquals(StudyRun.Status.SUCCESS, run.status());
      assertTrue(run.summary().imbalances().isEmpty());
      DataLocation data = run.layout().data();
      String runId = run.layout().runId();
      assertEquals(runId, SharedResearch.latest(data), "LATEST names the run");
      for (String table : TABLES) {
        List<String> expected = rows(localRun.layout().research(), table);
        assertFalse(expected.isEmpty(), table + " is empty");
        assertEquals(expected, rowsOnS3(data, table), table + " differs from the local run's");
      }
      assertEveryResearchObjectListedAndWhole(data);
      assertEquals(lines(localRun.layout().data().landing(), "**/*.ndjson"),
          lines(data.landing(), "**/*.ndjson"), "the same resources landed, per clinic");
      for (Study.Clinic c : study.clinics()) {
        assertFalse(BeamFiles.list(data.landing() + "/" + c.id() + "/*.ndjson").isEmpty(),
            c.id() + " landed under restricted/landing/<run>/ on S3");
      }
      Map<String, Long> quarantined = lines(data.quarantine(), "*.ndjson");
      assertFalse(quarantined.isEmpty(), "quarantined records under restricted/quarantine/");
      assertEquals(lines(localRun.layout().data().quarantine(), "*.ndjson"), quarantined);

      // The launcher's home: no research tables, but its history, exact summary and report.
      assertFalse(Files.exists(run.layout().researchStaging()));
      assertFalse(Files.exists(run.layout().research()));
      assertTrue(Files.isRegularFile(run.layout().restrictedSummary().resolve("summary.txt")));
      assertTrue(Files.readString(home.resolve("report/index.html")).contains("Kaplan"));
      RunHistory history = new RunHistory(home);
      assertEquals(runId, history.publishedRunId().orElseThrow());
      RunManifest manifest = history.last().orElseThrow();
      assertEquals(data.research(), manifest.research());
      assertEquals(rowsOnS3(data, Schemas.OBSERVATIONS).size(),
          manifest.parquetRows(Schemas.OBSERVATIONS), "the manifest counts the rows on S3");
    }
  }

  @Test
  void aSharedOutputMustBeAReachableUrlApartFromTheClinicsExports() throws Exception {
    Study study = ndjsonOnS3(StudyLoader.load(StudyLoader.DEMO));
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
    assertMessage("not a URL", () -> SharedOutput.check(study, "out/shared"));
    assertMessage("give it as --output", () -> SharedOutput.check(study, "file:///tmp/x"));
    assertMessage("no file system for ftp://",
        () -> SharedOutput.check(study, "ftp://host/x"));
    assertMessage("HADOOP_CONF_DIR", () -> SharedOutput.check(study, "hdfs://nn:8020/x"));
    ConfigException overlap = assertThrows(ConfigException.class,
        () -> SharedOutput.check(study, "s3://" + BUCKET + "/exports"));
    assertTrue(overlap.getMessage().contains(".source.directory"), overlap.getMessage());
    assertTrue(overlap.getMessage().contains("choose a --shared-output outside"));
    SharedOutput.check(study, SHARED); // apart: accepted
  }

  /** With the cluster's Hadoop configuration, hdfs:// is a file system this build reaches. */
  @Test
  void hdfsRegistersWithAHadoopConfiguration() {
    Study study = StudyLoader.load(StudyLoader.DEMO);
    HadoopFileSystemOptions options = PipelineOptionsFactory.as(HadoopFileSystemOptions.class);
    Configuration conf = new Configuration(false);
    conf.set("fs.defaultFS", "hdfs://127.0.0.1:1"); // never contacted: registration only
    options.setHdfsConfiguration(List.of(conf));
    FileSystems.setDefaultPipelineOptions(options);
    SharedOutput.check(study, "hdfs://127.0.0.1:1/longitude/demo");
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
  }

  private static void assertMessage(String part, org.junit.jupiter.api.function.Executable e) {
    ConfigException thrown = assertThrows(ConfigException.class, e);
    assertTrue(thrown.getMessage().contains(part), thrown.getMessage());
    assertTrue(thrown.getMessage().startsWith("--shared-output "), thrown.getMessage());
  }

  /** The study with its NDJSON clinic's export uploaded to S3 and read from there. */
  private static Study ndjsonOnS3(Study study) throws IOException {
    List<Study.Clinic> clinics = new ArrayList<>();
    for (Study.Clinic c : study.clinics()) {
      if (c.source().kind() != Source.Kind.NDJSON) {
        clinics.add(c);
        continue;
      }
      String url = "s3://" + BUCKET + "/exports/" + c.id();
      if (!c.source().directory().startsWith(StudyLoader.EMBEDDED)) {
        try (Stream<Path> files = Files.list(Path.of(c.source().directory()))) {
          for (Path f : files.toList()) {
            S3Server.upload(f, url + "/" + f.getFileName());
          }
        }
      }
      clinics.add(c.withSource(c.source().withDirectory(url)));
    }
    return study.withClinics(clinics);
  }

  /** Every object under the run's research folder is a table file named in _files.json. */
  private static void assertEveryResearchObjectListedAndWhole(DataLocation data)
      throws IOException {
    Map<String, Long> listed = new TreeMap<>();
    for (SharedResearch.FileEntry f : SharedResearch.files(data).files()) {
      listed.put(f.path(), f.bytes());
    }
    Map<String, Long> stored = new TreeMap<>();
    for (MatchResult.Metadata m : BeamFiles.list(data.research() + "/**")) {
      stored.put(SharedResearch.relative(data, m), m.sizeBytes());
    }
    stored.remove(DataLocation.FILES);
    assertEquals(listed, stored, "_files.json names every research object, with its size");
    for (String table : TABLES) {
      assertTrue(listed.keySet().stream().anyMatch(p -> p.startsWith(table + "/")
          && p.endsWith(".parquet")), table + " has Parquet");
      assertTrue(listed.keySet().stream().anyMatch(p -> p.startsWith(table + "/")
          && p.endsWith(".avro")), table + " has Avro");
    }
    for (MatchResult.Metadata m : BeamFiles.list(SHARED + "/**")) {
      String key = m.resourceId().toString();
      assertFalse(key.contains("/.") || key.endsWith(".inprogress"), "left behind: " + key);
    }
  }

  private static List<String> rows(Path research, String table) throws IOException {
    List<String> rows = new ArrayList<>();
    for (GenericRecord r : ParquetTables.read(research, table)) {
      rows.add(withoutRunId(r));
    }
    rows.sort(null);
    return rows;
  }

  /** A table's rows read back from S3 with a real Parquet reader. */
  private static List<String> rowsOnS3(DataLocation data, String table) throws IOException {
    List<String> rows = new ArrayList<>();
    for (MatchResult.Metadata m : BeamFiles.list(data.research() + "/" + table + "/*.parquet")) {
      try (ParquetReader<GenericRecord> reader = AvroParquetReader
          .<GenericRecord>builder(new ChannelInputFile(m.resourceId())).build()) {
        for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
          rows.add(withoutRunId(r));
        }
      }
    }
    rows.sort(null);
    return rows;
  }

  /** The runs differ only by their ids (the local run's is fixed, the managed run's a time). */
  private static String withoutRunId(GenericRecord r) {
    if (r.getSchema().getField("run_id") != null) {
      r.put("run_id", null);
    }
    return r.toString();
  }

  /**
   * Lines per file under a folder (local or on S3), by path relative to it without a landing
   * file's task digest (which names the file read: a local path in one run, a URL in the other).
   */
  private static Map<String, Long> lines(String dir, String glob) throws IOException {
    Map<String, Long> lines = new TreeMap<>();
    for (MatchResult.Metadata m : BeamFiles.list(dir + "/" + glob)) {
      String id = m.resourceId().toString();
      String name = id.substring(id.indexOf(dir) + dir.length() + 1)
          .replaceAll("-[0-9a-f]{16}\\.ndjson$", "");
      lines.merge(name, count(m), Long::sum);
    }
    return lines;
  }

  private static long count(MatchResult.Metadata m) throws IOException {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(
        Channels.newInputStream(FileSystems.open(m.resourceId())), StandardCharsets.UTF_8))) {
      return in.lines().count();
    }
  }
}
