package org.longitude.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.longitude.common.LocalFolders;
import org.longitude.common.Phases;

/**
 * {@code longitude run} of one study in a new process, as a user starts it: through the
 * launcher script when this process was started by it (its path in the system property
 * {@value #LAUNCHER_PROPERTY}: same JVM options, class-data archive and class path), else
 * {@code java} on this process's class path. Each run starts from an empty output folder and
 * must succeed; its output goes to {@code run.log} beside that folder.
 */
final class ChildRun {
  /** Set by the launcher script to its own path. */
  static final String LAUNCHER_PROPERTY = "longitude.launcher";

  /** One run: wall seconds from start to exit, and seconds per phase (wall and CPU). */
  record Sample(double wallSeconds, double cpuSeconds, Map<String, Double> phaseSeconds,
      Map<String, Double> phaseCpuSeconds) {}

  private static final Map<String, String> PHASES = phaseNames();
  private static final Pattern MARK = Pattern.compile("(\\S+) (\\d+) (\\d+)");
  private static final String CLI = "org.longitude.cli.Longitude";

  private final List<String> command;
  private final Path output;
  private final String keyBase64;

  private ChildRun(List<String> command, Path output, String keyBase64) {
    this.command = command;
    this.output = output;
    this.keyBase64 = keyBase64;
  }

  static ChildRun of(Path studyFile, Path output, String keyBase64) {
    List<String> command = new ArrayList<>();
    String launcher = System.getProperty(LAUNCHER_PROPERTY);
    if (launcher != null && Files.isExecutable(Path.of(launcher))) {
      command.add(launcher);
    } else {
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add(CLI); // a process boundary: the benchmark does not link to the CLI
    }
    command.addAll(List.of("run", "--study", studyFile.toString(), "--output",
        output.toString()));
    return new ChildRun(List.copyOf(command), output, keyBase64);
  }

  /** Set by the launcher script: the folder its class archive is being written in. */
  static final String ARCHIVE_WRITING_PROPERTY = "longitude.classArchiveWriting";

  /**
   * Waits (at most two minutes) while the launcher writes its class archive: the first run
   * after a build has it written in the background, and runs measured meanwhile would start
   * without it and share the cores with its writing. Returns whether it waited.
   */
  static boolean awaitClassArchive() throws InterruptedException {
    String folder = System.getProperty(ARCHIVE_WRITING_PROPERTY);
    if (folder == null || !Files.isDirectory(Path.of(folder))) {
      return false;
    }
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (Files.isDirectory(Path.of(folder)) && System.nanoTime() < deadline) {
      Thread.sleep(250);
    }
    return true;
  }

  String describe() {
    return String.join(" ", command);
  }

  Sample run() throws IOException, InterruptedException {
    LocalFolders.delete(output);
    Path phases = output.resolveSibling("phases.txt");
    Path log = output.resolveSibling("run.log");
    Files.deleteIfExists(phases);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().put(Phases.FILE_VARIABLE, phases.toString());
    // The bench's fixed key: the data are synthetic, and the study file names this variable.
    builder.environment().put("LONGITUDE_STUDY_KEY", keyBase64);
    long start = System.nanoTime();
    Process process = builder.start();
    int exit = process.waitFor();
    double wall = (System.nanoTime() - start) / 1e9;
    if (exit != 0) {
      throw new IllegalStateException("longitude run exited " + exit + "; see " + log);
    }
    return sample(wall, Files.exists(phases) ? Files.readAllLines(phases) : List.of());
  }

  /**
   * Seconds per phase from the marks ({@code <phase> <wall ms> <CPU ms>}, each since the
   * process started), the time after the last mark counted as {@code exited}.
   */
  static Sample sample(double wallSeconds, List<String> marks) {
    Map<String, Double> wall = new LinkedHashMap<>();
    Map<String, Double> cpu = new LinkedHashMap<>();
    long wallBefore = 0;
    long cpuBefore = 0;
    for (String line : marks) {
      Matcher m = MARK.matcher(line.trim());
      if (!m.matches()) {
        continue;
      }
      long wallMs = Long.parseLong(m.group(2));
      long cpuMs = Long.parseLong(m.group(3));
      wall.put(m.group(1), (wallMs - wallBefore) / 1000.0);
      cpu.put(m.group(1), (cpuMs - cpuBefore) / 1000.0);
      wallBefore = wallMs;
      cpuBefore = cpuMs;
    }
    wall.put("exited", Math.max(0, wallSeconds - wallBefore / 1000.0));
    return new Sample(wallSeconds, cpuBefore / 1000.0, wall, cpu);
  }

  /** What happened before each mark, for the printed table. */
  static String describePhase(String phase) {
    return PHASES.getOrDefault(phase, phase);
  }

  private static Map<String, String> phaseNames() {
    Map<String, String> names = new LinkedHashMap<>();
    names.put("jvm_started", "JVM start, to main");
    names.put("command_parsed", "command line");
    names.put("config_loaded", "command line, study config, key");
    names.put("options_parsed", "Beam pipeline options");
    names.put("clinics_started", "demo clinics generated, started");
    names.put("demo_study_ready", "demo study config, NDJSON export");
    names.put("graph_built", "run lock, manifest, pipeline graph");
    names.put("pipeline_done", "pipeline (translate, cluster, job)");
    names.put("accounted", "accounting, summaries");
    names.put("published", "publish");
    names.put("report_written", "report (DuckDB, charts)");
    names.put("done", "manifest, prune, summary printed");
    names.put("exited", "JVM exit");
    return names;
  }
}
