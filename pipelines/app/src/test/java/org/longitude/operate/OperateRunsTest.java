package org.longitude.operate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.longitude.cli.Longitude;
import org.longitude.config.Location;
import org.longitude.config.Study;
import org.longitude.config.StudyKey;
import org.longitude.config.StudyLoader;
import org.longitude.demo.DemoClinics;
import org.longitude.demo.SyntheticStudy;
import org.longitude.operate.StudyRun;
import org.longitude.pipeline.PipelineRun;

/**
 * Operating one output over several real runs against the embedded demo clinics: the
 * scheduler's two runs, their manifests, queries over the published tables, and a run killed
 * in a separate JVM. The tests share the output and run in order (each run costs ~30 s).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperateRunsTest {
  @TempDir static Path temp;
  private DemoClinics clinics;
  private Path studyFile;
  private Path output;
  private Study study;
  private final List<String> notices = new ArrayList<>();

  @BeforeAll
  void start() throws Exception {
    clinics = DemoClinics.start(SyntheticStudy.generate(7, 10));
    Map<String, String> urls = new LinkedHashMap<>();
    clinics.clinics().forEach(c -> urls.put(c.clinicId(), c.baseUrl()));
    studyFile = TestStudy.write(temp.resolve("study"), urls, null);
    study = StudyLoader.load(Location.file(studyFile));
    output = temp.resolve("out");
  }

  @AfterAll
  void stop() {
    clinics.close();
  }

  private StudyRun.Result runOnce() throws Exception {
    PipelineOptions options = PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create();
    PipelineRun.tuneForProduction(options);
    return ManagedRun.of(study, Location.file(studyFile), StudyKey.of(TestStudy.KEY), output, 10,
        notices::add).run(options, SyntheticStudy.REFERENCE_DATE);
  }

  @Test
  @Order(0)
  void validatePassesAgainstRunningClinics() {
    Cli cli = cli("validate", "--study", studyFile.toString());
    assertEquals(0, cli.exit, cli.out + cli.err);
    assertEquals(3, cli.out.lines().filter(l -> l.contains("FHIR server answers at")).count(),
        cli.out);
  }

  @Test
  @Order(1)
  void schedulerRunsTwiceOnAShortScheduleWithoutOverlap() throws Exception {
    AtomicInteger active = new AtomicInteger();
    AtomicInteger maxActive = new AtomicInteger();
    List<String> log = new ArrayList<>();
    // A seconds-level trigger stands in for cron: due 2 s after the previous run ends.
    Scheduler scheduler = new Scheduler(after -> java.util.Optional.of(
        after.plusSeconds(2).truncatedTo(ChronoUnit.SECONDS)), log::add);

    int exit = scheduler.run(() -> {
      maxActive.accumulateAndGet(active.incrementAndGet(), Math::max);
      try {
        return runOnce().status().exitCode;
      } finally {
        active.decrementAndGet();
      }
    }, 2);

    assertEquals(0, exit, String.join("\n", log));
    assertEquals(1, maxActive.get());
    List<RunManifest> runs = new RunHistory(output).manifests();
    assertEquals(2, runs.size());
    for (RunManifest m : runs) {
      assertEquals("SUCCESS", m.status());
      assertTrue(m.published());
    }
    assertFalse(Instant.parse(runs.get(1).started()).isBefore(
        Instant.parse(runs.get(0).ended())), "second run started after the first ended");
    assertEquals(runs.get(1).runId(), new RunHistory(output).publishedRunId().orElseThrow());
    assertEquals(2, log.stream().filter(l -> l.contains("ended with exit code 0")).count());
  }

  @Test
  @Order(2)
  void manifestListsEveryResearchFileWithItsRowsAndSha256() throws Exception {
    RunManifest m = new RunHistory(output).last().orElseThrow();
    Path research = output.resolve("runs").resolve(m.runId()).resolve("research");
    assertEquals("operate-test", m.studyId());
    assertEquals(Fingerprints.configSha256(Location.file(studyFile)), m.configSha256());
    assertEquals(3, m.clinics().size());
    m.clinics().forEach(c -> assertEquals("ok", c.status()));
    assertTrue(m.counts().size() > 10);
    // 10 patients per clinic: a small cell, withheld in the manifest (never 0), and with it
    // each clinic's total over resource types; exact only in the restricted zone
    for (RunManifest.Count c : m.counts()) {
      assertTrue(c.records() == null || c.records() == 0 || c.records() > 10, c.toString());
      assertEquals(c.records() == null, c.suppressed(), c.toString());
      if (c.resourceType().equals("Patient")) {
        assertEquals(null, c.records(), c.toString());
      }
    }
    m.clinics().forEach(c -> assertEquals(null, c.read(), c.id()));
    assertTrue(Files.readString(RunManifest.path(output.resolve("runs").resolve(m.runId())))
        .contains("\"read\" : null"));
    assertTrue(Files.readString(output.resolve("restricted").resolve("summary")
        .resolve(m.runId()).resolve("summary.txt")).matches("(?s).*Patient +10 +10 .*"));

    List<String> onDisk;
    try (Stream<Path> walk = Files.walk(research)) {
      onDisk = walk.filter(f -> f.toString().endsWith(".parquet") || f.toString()
          .endsWith(".avro")).map(f -> research.relativize(f).toString()).sorted().toList();
    }
    assertEquals(onDisk, m.files().stream().map(RunManifest.OutputFile::path).toList());
    long observations = 0;
    for (RunManifest.OutputFile f : m.files()) {
      Path file = research.resolve(f.path());
      assertEquals(sha256(file), f.sha256(), f.path());
      assertEquals(Files.size(file), f.bytes());
      assertEquals(f.format().equals("parquet") ? parquetRows(file) : avroRows(file), f.rows(),
          f.path());
      if (f.table().equals("observations") && f.format().equals("parquet")) {
        observations += f.rows();
      }
    }
    assertTrue(observations > 100);
  }

  @Test
  @Order(3)
  void configHashChangesWhenANamedFileChanges() throws Exception {
    Path copy = temp.resolve("study-copy");
    Map<String, String> urls = new LinkedHashMap<>();
    study.clinics().forEach(c -> urls.put(c.id(), c.source().baseUrl()));
    Path file = TestStudy.write(copy, urls, null);
    String before = Fingerprints.configSha256(Location.file(file));
    assertEquals(Fingerprints.configSha256(Location.file(studyFile)), before);
    Files.writeString(copy.resolve("mappings/north.yaml"), "\n# edited\n",
        java.nio.file.StandardOpenOption.APPEND);
    assertNotEquals(before, Fingerprints.configSha256(Location.file(file)));
  }

  @Test
  @Order(4)
  void queryThroughTheCliGivesDuckDbsNumbers() throws Exception {
    String sql = "SELECT measure, count(*) AS n, sum(score) AS total FROM observations "
        + "GROUP BY measure ORDER BY measure";
    Cli cli = cli("query", "--output", output.toString(), "--format", "csv", sql);
    assertEquals(0, cli.exit, cli.err);

    Path research = output.resolve("research").toRealPath();
    List<String> direct = new ArrayList<>();
    direct.add("measure,n,total");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT measure, count(*), sum(score) FROM read_parquet('"
            + research + "/observations/*.parquet') GROUP BY measure ORDER BY measure")) {
      while (rs.next()) {
        direct.add(rs.getString(1) + "," + rs.getLong(2) + "," + rs.getObject(3));
      }
    }
    assertEquals(String.join("\n", direct), cli.out.strip());
    assertTrue(direct.size() >= 3, direct.toString());

    Cli participants = cli("query", "--output", output.toString(), "--format", "json",
        "SELECT count(*) AS n FROM participants");
    long rows = 0;
    try (Stream<Path> files = Files.list(research.resolve("participants"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".parquet")).toList()) {
        rows += parquetRows(f);
      }
    }
    assertTrue(participants.out.replaceAll("\\s", "").equals("[{\"n\":" + rows + "}]"),
        participants.out);
    assertEquals(30, rows);

    Cli table = cli("query", "--output", output.toString(), sql);
    assertTrue(table.out.contains("measure") && table.out.contains("rows)"), table.out);

    Cli restricted = cli("query", "--output", output.toString(),
        "SELECT count(*) FROM read_text('" + output.toAbsolutePath() + "/restricted/**')");
    assertEquals(1, restricted.exit);
    assertTrue(restricted.err.contains("disabled by configuration"), restricted.err);
  }

  @Test
  @Order(5)
  void runsAndStatusShowTheHistory() throws Exception {
    List<RunManifest> runs = new RunHistory(output).manifests();
    Cli list = cli("runs", "--study", studyFile.toString(), "--output", output.toString());
    assertEquals(0, list.exit, list.err);
    runs.forEach(m -> assertTrue(list.out.contains(m.runId()), list.out));
    assertTrue(list.out.contains("* " + runs.get(1).runId()), list.out);

    Cli status = cli("status", "--study", studyFile.toString(), "--output", output.toString());
    assertEquals(0, status.exit, status.err);
    assertTrue(status.out.contains("last run:   " + runs.get(1).runId() + " SUCCESS"),
        status.out);
    assertTrue(status.out.contains("next run pulls from:"), status.out);
    assertTrue(status.out.contains("read suppressed"), status.out);
    study.clinics().forEach(c -> assertTrue(status.out.contains(c.source().baseUrl())));
  }

  @Test
  @Order(6)
  void runKilledInAnotherJvmLeavesThePublishedRunWholeAndTheNextRunCompletes()
      throws Exception {
    RunHistory history = new RunHistory(output);
    String published = history.publishedRunId().orElseThrow();
    RunManifest before = RunManifest.read(RunManifest.path(output.resolve("runs")
        .resolve(published)));
    List<String> runsBefore = history.runDirs().stream()
        .map(p -> p.getFileName().toString()).toList();

    Path childLog = temp.resolve("child.log");
    Process child = new ProcessBuilder(
        ProcessHandle.current().info().command().orElse("java"), "-Xmx1g",
        "-cp", System.getProperty("java.class.path"), Longitude.class.getName(), "run",
        "--study", studyFile.toString(), "--output", output.toString(),
        "--runner", "DirectRunner")
        .redirectErrorStream(true).redirectOutput(childLog.toFile()).start();
    String killedRun = null;
    try {
      Instant deadline = Instant.now().plusSeconds(120);
      while (killedRun == null && Instant.now().isBefore(deadline) && child.isAlive()) {
        for (Path dir : history.runDirs()) {
          String id = dir.getFileName().toString();
          if (!runsBefore.contains(id) && Files.exists(RunManifest.path(dir))) {
            killedRun = id;
          }
        }
        Thread.sleep(200);
      }
      assertTrue(killedRun != null, "the child run never started: "
          + Files.readString(childLog));
      // Let it get into its work (pulling, writing) before killing it.
      Path landing = output.resolve("restricted/landing").resolve(killedRun);
      for (int i = 0; i < 100 && child.isAlive() && !hasFiles(landing); i++) {
        Thread.sleep(100);
      }
      assertTrue(child.isAlive(), "the child finished before it could be killed");
    } finally {
      child.destroyForcibly().waitFor();
    }

    assertEquals(published, history.publishedRunId().orElseThrow(), "research not moved");
    assertEquals("RUNNING", RunManifest.read(RunManifest.path(output.resolve("runs")
        .resolve(killedRun))).status());
    assertTrue(Files.readString(output.resolve(RunLock.FILE)).contains("pid=" + child.pid()),
        "the dead child's lock is left behind");
    Cli status = cli("status", "--study", studyFile.toString(), "--output", output.toString());
    assertTrue(status.out.contains("running:    no (stale lock: run " + killedRun + " (pid "
        + child.pid()), status.out);
    Path research = output.resolve("research");
    for (RunManifest.OutputFile f : before.files()) {
      assertEquals(f.sha256(), sha256(research.resolve(f.path())), f.path());
    }
    Cli query = cli("query", "--output", output.toString(), "--format", "csv",
        "SELECT count(*) AS n FROM participants");
    assertEquals("n\n30", query.out.strip());

    notices.clear();
    StudyRun.Result next = runOnce();
    String killed = killedRun;

    assertEquals(StudyRun.Status.SUCCESS, next.status());
    assertTrue(notices.stream().anyMatch(n -> n.contains("cleared a stale lock")
        && n.contains(killed)), notices.toString());
    assertEquals(RunManifest.INTERRUPTED, RunManifest.read(RunManifest.path(
        output.resolve("runs").resolve(killedRun))).status());
    try (Stream<Path> all = Files.walk(output)) {
      assertEquals(List.of(), all.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".inprogress")).toList(), "files a killed writer left");
    }
    assertEquals(next.layout().runId(), history.publishedRunId().orElseThrow());
    assertEquals(before.parquetRows("participants"),
        history.last().orElseThrow().parquetRows("participants"));
  }

  private static boolean hasFiles(Path dir) throws Exception {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.anyMatch(Files::isRegularFile);
    }
  }

  record Cli(int exit, String out, String err) {}

  static Cli cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var line = Longitude.commandLine();
    line.setOut(new PrintWriter(out, true));
    line.setErr(new PrintWriter(err, true));
    int exit = line.execute(args);
    return new Cli(exit, out.toString(), err.toString());
  }

  static String sha256(Path file) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(Files.readAllBytes(file)));
  }

  static long parquetRows(Path file) throws Exception {
    long n = 0;
    try (ParquetReader<GenericRecord> reader =
        AvroParquetReader.<GenericRecord>builder(new LocalInputFile(file)).build()) {
      while (reader.read() != null) {
        n++;
      }
    }
    return n;
  }

  static long avroRows(Path file) throws Exception {
    long n = 0;
    try (DataFileReader<GenericRecord> reader =
        new DataFileReader<>(file.toFile(), new GenericDatumReader<>())) {
      while (reader.hasNext()) {
        reader.next();
        n++;
      }
    }
    return n;
  }
}
