package org.longitude.deid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.IndexedRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.longitude.common.Schemas;
import org.longitude.config.StudyKey;
import org.longitude.config.StudyLoader;
import org.longitude.demo.CanaryStudy;
import org.longitude.demo.ClinicServerOptions;
import org.longitude.demo.DemoClinic;
import org.longitude.demo.GroundTruth;
import org.longitude.demo.Measure;
import org.longitude.release.ViewColumn;
import org.longitude.views.ReleasedView;
import org.longitude.views.StudyViews;

/**
 * The leak test: canaries in every string-bearing place of the synthetic input, distinctive
 * true dates, and the source ids must never appear in research outputs (every Parquet and Avro
 * file decoded, every column, and their raw bytes), the run's text files or its debug logs;
 * nor may the study key. The restricted zone must hold them, which proves they were read.
 *
 * <p>The pipeline runs in a child JVM ({@link LeakRun}) with debug logging to a file and the key
 * in {@code LONGITUDE_STUDY_KEY}, as a production run; north and harbor are served over HTTP
 * by demo clinics in this JVM, summit is read from NDJSON carrying raw-JSON canaries.
 */
class LeakTest {
  private static final StudyKey KEY = randomKey();
  private static final int SIZE = 12;
  private static final List<String> TABLES = List.of(Schemas.PARTICIPANTS, Schemas.OBSERVATIONS,
      Schemas.TREATMENTS, Schemas.OUTCOMES, Schemas.SURVIVAL, Schemas.LANDMARKS,
      Schemas.COURSE_OUTCOMES, Schemas.ATTRITION, Schemas.QUARANTINE, Schemas.RUN_SUMMARY);
  private static final List<String> DATE_COLUMNS =
      List.of("effective_date", "administration_date", "index_date");
  /** The demo study's views, each column of which the scan must have seen filled. */
  private static final List<ReleasedView> VIEWS = StudyViews.check(
      StudyLoader.load(StudyLoader.DEMO).viewsOrEmpty(), StudyLoader.load(StudyLoader.DEMO)
          .deid());
  /**
   * Each view's shifted date column, and the column naming the infusion it is the day of:
   * the canary participant's are checked against that infusion's true day.
   */
  private static final Map<String, List<String>> VIEW_DATES = Map.of(
      "ketamine_dose", List.of("given_on", "administration"),
      "blood_pressure", List.of("measured_on", "infusion"));
  private static final Pattern UUID = Pattern.compile(
      "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final Pattern ISO_DATE = Pattern.compile("\\b(1[89]|20)\\d\\d-[01]\\d-[0-3]\\d\\b");
  private static final Pattern CANARY_TOKEN = Pattern.compile("CANARY-[A-Z]+-\\d{4,}");

  @TempDir static Path dir;
  private static CanaryStudy study;
  private static List<DemoClinic> servers;
  private static Path summitNdjson;
  private static Pseudonyms pseudonyms;
  private static String canaryParticipant;

  private static StudyKey randomKey() {
    byte[] b = new byte[32];
    new SplittableRandom(20260630L).nextBytes(b);
    return StudyKey.of(b);
  }

  @BeforeAll
  static void startClinics() throws IOException {
    pseudonyms = new Pseudonyms(KEY, 182);
    study = CanaryStudy.generate(11, SIZE, id -> pseudonyms.shiftDays("north", id) != 0);
    canaryParticipant = pseudonyms.participant(study.canaryClinic(), study.canaryPatientId());
    servers = new ArrayList<>();
    for (String clinic : List.of("north", "harbor")) {
      servers.add(DemoClinic.start(study.clinic(clinic), ClinicServerOptions.defaults()));
    }
    summitNdjson = dir.resolve("summit-export");
    study.writeNdjsonWithRawCanaries("summit", summitNdjson);
  }

  @AfterAll
  static void stopClinics() {
    servers.forEach(DemoClinic::close);
  }

  @Test
  void researchOutputsRunFilesAndLogsCarryNoPhi() throws Exception {
    Run run = run("shift", "debug");
    Findings leaks = new Findings();
    Map<String, List<Integer>> canaryDates = scanOutputs(run, leaks);
    leaks.failIfAny();

    // The canary participant's dates are all shifted by the keyed shift, never the true ones.
    int shift = pseudonyms.shiftDays(study.canaryClinic(), study.canaryPatientId());
    GroundTruth.Participant truth =
        study.clinic("north").truth().participant(study.canaryPatientId());
    assertEquals(List.of((int) truth.indexDate().plusDays(shift).toEpochDay()),
        canaryDates.get("index_date"), "index_date = true index + shift (" + shift + ")");
    assertTrue(canaryDates.get("effective_date")
        .contains((int) study.canaryScoreDate().plusDays(shift).toEpochDay()),
        "the canary-dated score is in the research path, shifted");
    assertFalse(canaryDates.get("administration_date").isEmpty());
    assertViewsFilledAndCanaryDatesShifted(run, false);

    assertRestrictedHoldsWhatResearchMustNot(run);
  }

  /**
   * Every released column of every view had values (so the scan above read real ones), and
   * the canary participant's view dates are its infusion days moved by its own shift (or,
   * in year_only mode, the years of those), never the true days.
   */
  private static void assertViewsFilledAndCanaryDatesShifted(Run run, boolean yearOnly)
      throws IOException {
    int shift = pseudonyms.shiftDays(study.canaryClinic(), study.canaryPatientId());
    Map<String, LocalDate> trueDays = trueDatesByRecord();
    for (ReleasedView view : VIEWS) {
      Path dir = run.research().resolve("views").resolve(view.name());
      Set<String> filled = new TreeSet<>();
      int canaryRows = 0;
      for (Path file : files(dir)) {
        for (GenericRecord r : decode(file)) {
          r.getSchema().getFields().stream().filter(f -> r.get(f.name()) != null)
              .forEach(f -> filled.add(f.name()));
          if (canaryParticipant.equals(String.valueOf(r.get("participant_id")))
              && file.toString().endsWith(".parquet")) {
            List<String> columns = VIEW_DATES.get(view.name());
            LocalDate truth = trueDays.get(String.valueOf(r.get(columns.get(1))));
            assertNotNull(truth, view.name() + ": the canary participant's row names an "
                + "infusion of theirs");
            LocalDate shifted = truth.plusDays(shift);
            assertEquals(yearOnly ? (Object) shifted.getYear() : (Object) shifted,
                r.get(columns.get(0)), view.name() + ": the infusion's true day " + truth
                + " moved by the participant's shift " + shift);
            canaryRows++;
          }
        }
      }
      for (ViewColumn c : view.releasedColumns()) {
        assertTrue(filled.contains(c.name()), view.name() + "." + c.name() + " was never "
            + "filled: the scan did not see its values");
      }
      assertTrue(canaryRows > 0, view.name() + " has rows of the canary participant");
    }
  }

  @Test
  void yearOnlyModeCarriesNoFullDates() throws Exception {
    Run run = run("year_only", "info");
    Findings leaks = new Findings();
    scanOutputs(run, leaks);
    leaks.failIfAny();
    Map<String, Integer> datedRows = new LinkedHashMap<>();
    for (String table : List.of(Schemas.PARTICIPANTS, Schemas.OBSERVATIONS, Schemas.TREATMENTS)) {
      for (Path file : files(run.research().resolve(table))) {
        for (GenericRecord r : decode(file)) {
          for (String column : DATE_COLUMNS) {
            if (r.getSchema().getField(column) != null) {
              assertNull(r.get(column), file + ": " + column + " must be null in year_only mode");
              datedRows.merge(table, 1, Integer::sum);
            }
          }
          if (table.equals(Schemas.OBSERVATIONS)) {
            assertNotNull(r.get("effective_year"), file + ": effective_year kept");
            assertNotNull(r.get("days_since_index"), file + ": days_since_index kept");
          }
          if (table.equals(Schemas.TREATMENTS)) {
            assertNotNull(r.get("days_since_index"), file + ": days_since_index kept");
          }
        }
      }
    }
    assertEquals(3, datedRows.size(), "rows checked: " + datedRows);
    assertViewsFilledAndCanaryDatesShifted(run, true);
    // Years are those of shifted dates, so year + day offsets reveal no true month or day.
    boolean found = false;
    for (Path file : files(run.research().resolve(Schemas.PARTICIPANTS))) {
      for (GenericRecord r : decode(file)) {
        if (r.get("participant_id").toString().equals(canaryParticipant)) {
          assertEquals(CanaryStudy.CANARY_BIRTH.plusDays(pseudonyms.shiftDays(
              study.canaryClinic(), study.canaryPatientId())).getYear(), r.get("birth_year"));
          found = true;
        }
      }
    }
    assertTrue(found, "canary participant in participants");
  }

  // --- running ---

  private record Run(Path output, Path log, Path console, String runId) {
    Path research() {
      return output.resolve("runs").resolve(runId).resolve("research");
    }
  }

  /** Runs the pipeline in a child JVM, logging at {@code level} to a file. */
  private static Run run(String mode, String level) throws Exception {
    Path output = dir.resolve("out-" + mode);
    Path log = dir.resolve("pipeline-" + mode + ".log");
    Path console = dir.resolve("console-" + mode + ".txt");
    String runId = "leak-" + mode.replace('_', '-');
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx1g",
        "-cp", System.getProperty("java.class.path"),
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=" + level,
        // Beam's walk of the pipeline graph: ~1M lines of transform names, no data.
        "-Dorg.slf4j.simpleLogger.log.org.apache.beam.sdk.runners.TransformHierarchy=info",
        "-Dorg.slf4j.simpleLogger.logFile=" + log,
        LeakRun.class.getName(), output.toString(), mode, runId));
    for (DemoClinic c : servers) {
      command.add(c.clinicId() + "=" + c.baseUrl());
    }
    command.add("summit=ndjson:" + summitNdjson);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(console.toFile());
    pb.environment().put("LONGITUDE_STUDY_KEY", Base64.getEncoder().encodeToString(KEY.bytes()));
    Process process = pb.start();
    if (!process.waitFor(15, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      fail("the pipeline did not finish in 15 minutes");
    }
    assertEquals(0, process.exitValue(), () -> "pipeline run failed:\n" + tail(console)
        + "\n--- log ---\n" + tail(log));
    if (level.equals("debug")) {
      try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
        assertTrue(lines.anyMatch(l -> l.contains(" DEBUG org.apache.beam.runners.direct")),
            "debug logging of the runner (which logs elements) was on");
      }
    }
    return new Run(output, log, console, runId);
  }

  private static String tail(Path file) {
    try (java.nio.channels.SeekableByteChannel in = Files.newByteChannel(file)) {
      ByteBuffer last = ByteBuffer.allocate((int) Math.min(in.size(), 8000));
      in.position(in.size() - last.capacity());
      while (last.hasRemaining() && in.read(last) > 0) {
        // reads the last bytes
      }
      return new String(last.array(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(" + file + " unreadable: " + e.getMessage() + ")";
    }
  }

  // --- scanning ---

  /**
   * Scans everything outside restricted/ and the logs; returns the canary participant's values
   * of each date column.
   */
  private static Map<String, List<Integer>> scanOutputs(Run run, Findings leaks)
      throws IOException {
    Map<String, List<Integer>> canaryDates = new LinkedHashMap<>();
    DATE_COLUMNS.forEach(c -> canaryDates.put(c, new ArrayList<>()));
    Map<String, LocalDate> trueDates = trueDatesByRecord();
    int shift = pseudonyms.shiftDays(study.canaryClinic(), study.canaryPatientId());
    List<Path> scanned = new ArrayList<>();
    try (Stream<Path> all = Files.walk(run.output())) {
      for (Path file : all.filter(Files::isRegularFile).sorted().toList()) {
        if (file.startsWith(run.output().resolve("restricted"))) {
          continue;
        }
        scanned.add(file);
        String where = run.output().relativize(file).toString();
        leaks.scan(where + " (raw bytes)",
            new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
        if (file.toString().endsWith(".parquet") || file.toString().endsWith(".avro")) {
          List<GenericRecord> rows = decode(file);
          for (int i = 0; i < rows.size(); i++) {
            GenericRecord r = rows.get(i);
            walk(leaks, where + " row " + i, "", r);
            if (r.getSchema().getField("participant_id") != null
                && canaryParticipant.equals(String.valueOf(r.get("participant_id")))) {
              for (String column : DATE_COLUMNS) {
                if (r.getSchema().getField(column) != null && r.get(column) != null) {
                  int day = epochDay(r.get(column));
                  if (file.toString().endsWith(".parquet")) {
                    canaryDates.get(column).add(day);
                  }
                  LocalDate truth = trueDates.get(column.equals("index_date") ? "index"
                      : String.valueOf(r.get("record_id")));
                  if (truth != null && day != truth.plusDays(shift).toEpochDay()) {
                    leaks.add(where + " row " + i + " ." + column, "the canary participant's "
                        + truth + " is given as " + LocalDate.ofEpochDay(day) + ", not shifted by "
                        + shift + (day == truth.toEpochDay() ? " (the unshifted true date)" : ""));
                  }
                }
              }
            }
          }
        }
      }
    }
    for (Path log : List.of(run.log(), run.console())) {
      try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
        int[] n = {0};
        lines.forEach(line -> leaks.scan(log.getFileName() + " line " + ++n[0], line));
      }
    }
    assertTrue(Files.isSymbolicLink(run.output().resolve("research")), "the run was published");
    for (String table : TABLES) {
      assertTrue(scanned.stream().anyMatch(f -> f.startsWith(run.research().resolve(table))
          && f.toString().endsWith(".parquet")), "Parquet of " + table + " scanned");
      assertTrue(scanned.stream().anyMatch(f -> f.startsWith(run.research().resolve(table))
          && f.toString().endsWith(".avro")), "Avro of " + table + " scanned");
    }
    for (ReleasedView view : VIEWS) {
      Path table = run.research().resolve("views").resolve(view.name());
      for (String format : List.of(".parquet", ".avro", ".avsc")) {
        assertTrue(scanned.stream().anyMatch(f -> f.startsWith(table)
            && f.toString().endsWith(format)), format + " of view " + view.name() + " scanned");
      }
    }
    assertTrue(scanned.stream().anyMatch(f -> f.getFileName().toString().equals("summary.txt")));
    return canaryDates;
  }

  /** Every value of a decoded row, nested arrays, maps and records included. */
  private static void walk(Findings leaks, String where, String path, Object value) {
    if (value == null) {
      return;
    }
    if (value instanceof IndexedRecord r) {
      for (org.apache.avro.Schema.Field f : r.getSchema().getFields()) {
        walk(leaks, where, path + "." + f.name(), r.get(f.pos()));
      }
    } else if (value instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) {
        walk(leaks, where, path + "[" + i++ + "]", item);
      }
    } else if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> {
        walk(leaks, where, path + "{key}", k);
        walk(leaks, where, path + "{" + k + "}", v);
      });
    } else if (value instanceof ByteBuffer bytes) {
      byte[] b = new byte[bytes.remaining()];
      bytes.duplicate().get(b);
      leaks.scan(where + " " + path, new String(b, StandardCharsets.ISO_8859_1));
    } else {
      String text = value.toString();
      leaks.scan(where + " " + path, text);
      if (value instanceof CharSequence && ISO_DATE.matcher(text).find()) {
        leaks.add(where + " " + path, "a calendar date as text: " + text);
      }
    }
  }

  /** The canary participant's true dates by pseudonymous record id (index under "index"). */
  private static Map<String, LocalDate> trueDatesByRecord() {
    Map<String, LocalDate> dates = new LinkedHashMap<>();
    GroundTruth.Participant p = study.clinic("north").truth().participant(study.canaryPatientId());
    dates.put("index", p.indexDate());
    for (GroundTruth.Infusion i : p.infusions()) {
      dates.put(pseudonyms.record("north", "MedicationAdministration",
          i.medicationAdministrationId()), i.date());
    }
    for (Measure m : Measure.values()) {
      for (GroundTruth.Score s : p.scores(m)) {
        dates.put(pseudonyms.record("north", "Observation", s.observationId()),
            s.observationId().equals(study.canaryScoreId()) ? study.canaryScoreDate() : s.date());
      }
    }
    return dates;
  }

  private static int epochDay(Object v) {
    return v instanceof LocalDate d ? (int) d.toEpochDay() : ((Number) v).intValue();
  }

  private static List<Path> files(Path tableDir) throws IOException {
    try (Stream<Path> s = Files.list(tableDir)) {
      return s.filter(f -> f.toString().endsWith(".parquet") || f.toString().endsWith(".avro"))
          .sorted().toList();
    }
  }

  private static List<GenericRecord> decode(Path file) throws IOException {
    List<GenericRecord> rows = new ArrayList<>();
    if (file.toString().endsWith(".parquet")) {
      try (ParquetReader<GenericRecord> reader =
          AvroParquetReader.<GenericRecord>builder(new LocalInputFile(file)).build()) {
        for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
          rows.add(r);
        }
      }
    } else {
      try (DataFileReader<GenericRecord> reader =
          new DataFileReader<>(new File(file.toString()), new GenericDatumReader<>())) {
        reader.forEach(rows::add);
      }
    }
    return rows;
  }

  // --- the restricted zone ---

  private static void assertRestrictedHoldsWhatResearchMustNot(Run run) throws IOException {
    Path restricted = run.output().resolve("restricted");
    assertEquals("rwx------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(restricted)));
    StringBuilder landing = new StringBuilder();
    StringBuilder quarantine = new StringBuilder();
    try (Stream<Path> all = Files.walk(restricted)) {
      // restricted/summary holds the exact run accounting (counts, some of it binary tables)
      for (Path f : all.filter(Files::isRegularFile)
          .filter(f -> !f.startsWith(restricted.resolve("summary"))).toList()) {
        (f.startsWith(restricted.resolve("quarantine")) ? quarantine : landing)
            .append(Files.readString(f)).append('\n');
      }
    }
    Set<String> present = tokens(landing + "\n" + quarantine);
    Set<String> missing = new TreeSet<>(study.currentCanaries());
    missing.removeAll(present);
    assertTrue(missing.isEmpty(), missing.size() + " of " + study.currentCanaries().size()
        + " canaries never reached restricted/, so the test could not see them leak: "
        + missing.stream().limit(20).toList());
    assertTrue(landing.indexOf(CanaryStudy.CANARY_BIRTH.toString()) >= 0);
    assertTrue(landing.indexOf(study.canaryScoreDate().toString()) >= 0);
    assertTrue(landing.indexOf(study.canaryPatientId()) >= 0);
    assertTrue(tokens(quarantine.toString()).stream()
        .anyMatch(t -> t.startsWith("CANARY-VALUESTRING-")),
        "free-text values were quarantined in full under restricted/quarantine");
  }

  private static Set<String> tokens(String text) {
    Set<String> found = new HashSet<>();
    Matcher m = CANARY_TOKEN.matcher(text);
    while (m.find()) {
      found.add(m.group());
    }
    return found;
  }

  /** What leaked and where; fails listing every finding. */
  private static final class Findings {
    private final List<String> found = new ArrayList<>();
    private final Map<String, String> secrets = new LinkedHashMap<>();

    Findings() {
      byte[] key = KEY.bytes();
      secrets.put("study key (hex)", HexFormat.of().formatHex(key));
      secrets.put("study key (HEX)", HexFormat.of().withUpperCase().formatHex(key));
      secrets.put("study key (base64)", Base64.getEncoder().withoutPadding().encodeToString(key));
      secrets.put("study key (base64url)",
          Base64.getUrlEncoder().withoutPadding().encodeToString(key));
      secrets.put("study key (raw bytes)", new String(key, StandardCharsets.ISO_8859_1));
      secrets.put("canary birth date", CanaryStudy.CANARY_BIRTH.toString());
      secrets.put("canary score date", study.canaryScoreDate().toString());
    }

    void add(String where, String what) {
      found.add("LEAK in " + where + ": " + what);
    }

    void scan(String where, String text) {
      String upper = text.toUpperCase(Locale.ROOT);
      for (int i = upper.indexOf(CanaryStudy.PREFIX); i >= 0;
          i = upper.indexOf(CanaryStudy.PREFIX, i + 1)) {
        add(where, "canary '" + snippet(text, i) + "'");
      }
      Matcher m = UUID.matcher(text);
      while (m.find()) {
        if (study.sourceIds().contains(m.group().toLowerCase(Locale.ROOT))) {
          add(where, "source id " + m.group());
        }
      }
      secrets.forEach((name, secret) -> {
        if (text.contains(secret)) {
          add(where, name);
        }
      });
    }

    private static String snippet(String text, int at) {
      return text.substring(Math.max(0, at - 30), Math.min(text.length(), at + 40))
          .replaceAll("[^\\x20-\\x7e]", "?");
    }

    void failIfAny() {
      if (!found.isEmpty()) {
        fail(found.size() + " leak(s) from the restricted zone:\n  "
            + String.join("\n  ", found.stream().limit(60).toList())
            + (found.size() > 60 ? "\n  ..." : ""));
      }
    }
  }
}
