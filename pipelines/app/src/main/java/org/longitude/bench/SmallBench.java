package org.longitude.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.longitude.common.LocalFolders;
import org.longitude.demo.NdjsonExport;
import org.longitude.demo.SyntheticStudy;

/**
 * The small-study benchmark ({@code bench --small}): a study the size clinics have (hundreds of
 * participants, one NDJSON clinic from the demo generator), run end to end as users run it —
 * {@code longitude run} in a new process, to the published report — several times, printing
 * where the wall time goes. At this size the time is almost all fixed cost: starting the JVM
 * and loading classes, Beam's options and graph, Flink's embedded cluster, the report. The
 * phases come from the child's {@link org.longitude.common.Phases} marks; the wall time is the
 * child's, from start to exit.
 */
public final class SmallBench {
  /**
   * What to run.
   *
   * @param warmups runs before the measured ones (the first run after a build also writes the
   *     launcher's class-data archive)
   */
  public record Settings(int participants, int warmups, int repetitions, Path output,
      long seed) {}

  /** Median seconds per phase (in the order reached), wall and CPU, and the totals. */
  public record Report(int participants, long resources, int repetitions,
      Map<String, Double> phaseSeconds, Map<String, Double> phaseCpuSeconds,
      double wallSeconds, double cpuSeconds, String command) {}

  private static final String DONE = "generated.txt";

  private final Settings settings;
  private final PrintWriter log;

  public SmallBench(Settings settings, PrintWriter log) {
    this.settings = settings;
    this.log = log;
  }

  public Report run() throws IOException, InterruptedException {
    Path out = settings.output().toAbsolutePath().normalize()
        .resolve("small-" + settings.participants());
    Path data = out.resolve("data").resolve(BenchData.CLINIC);
    long resources = generate(data);
    Path studyFile = BenchStudy.write(out.resolve("study"), data);
    ChildRun child = ChildRun.of(studyFile, out.resolve("run"), Bench.KEY_BASE64);
    log.printf("bench --small: %d participants, %,d resources in one NDJSON clinic (%s); "
        + "%d warm-up run(s), then %d measured%n", settings.participants(), resources, data,
        settings.warmups(), settings.repetitions());
    log.printf("bench --small: each run is %s%n", child.describe());
    log.flush();
    for (int i = 0; i < settings.warmups(); i++) {
      ChildRun.Sample s = child.run();
      log.printf("bench --small: warm-up %d: %.1f s wall%n", i + 1, s.wallSeconds());
      log.flush();
    }
    if (ChildRun.awaitClassArchive()) {
      log.printf("bench --small: waited for the launcher's class archive to be written%n");
    }
    List<ChildRun.Sample> samples = new ArrayList<>();
    for (int i = 0; i < settings.repetitions(); i++) {
      ChildRun.Sample s = child.run();
      samples.add(s);
      log.printf("bench --small: run %d: %.1f s wall, %.1f s CPU%n", i + 1, s.wallSeconds(),
          s.cpuSeconds());
      log.flush();
    }
    Report report = new Report(settings.participants(), resources, samples.size(),
        medianPhases(samples, ChildRun.Sample::phaseSeconds),
        medianPhases(samples, ChildRun.Sample::phaseCpuSeconds),
        Bench.median(samples.stream().mapToDouble(ChildRun.Sample::wallSeconds).toArray()),
        Bench.median(samples.stream().mapToDouble(ChildRun.Sample::cpuSeconds).toArray()),
        child.describe());
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(out.resolve("small-bench.json").toFile(), report);
    print(report);
    return report;
  }

  /**
   * One clinic of the demo generator (the same participants for the same size and seed), as
   * Bulk Data NDJSON; reused when already written for this size and seed.
   */
  private long generate(Path dir) throws IOException {
    Path done = dir.resolve(DONE);
    String stamp = settings.participants() + " " + settings.seed();
    if (Files.exists(done)) {
      String[] recorded = Files.readString(done).trim().split(" ");
      if (recorded.length == 3 && stamp.equals(recorded[0] + " " + recorded[1])) {
        return Long.parseLong(recorded[2]);
      }
    }
    LocalFolders.delete(dir);
    long resources = 0;
    for (Path file : NdjsonExport.write(SyntheticStudy.generate(settings.seed(),
        settings.participants()).clinic(BenchData.CLINIC), dir).values()) {
      resources += BenchData.lines(file);
    }
    Files.writeString(done, stamp + " " + resources);
    return resources;
  }

  /** Per phase, the median over the runs of the time since the phase before it. */
  private static Map<String, Double> medianPhases(List<ChildRun.Sample> samples,
      Function<ChildRun.Sample, Map<String, Double>> phases) {
    Map<String, Double> medians = new LinkedHashMap<>();
    for (String phase : phases.apply(samples.get(0)).keySet()) {
      medians.put(phase, Bench.median(samples.stream()
          .mapToDouble(s -> phases.apply(s).getOrDefault(phase, Double.NaN)).toArray()));
    }
    return medians;
  }

  private void print(Report report) {
    log.printf("%n%d participants, %,d resources; medians of %d run(s)%n",
        report.participants(), report.resources(), report.repetitions());
    log.printf("%-40s %8s %8s%n", "phase (since the one before)", "wall s", "CPU s");
    report.phaseSeconds().forEach((phase, s) -> log.printf("%-40s %8.2f %8s%n",
        ChildRun.describePhase(phase), s, report.phaseCpuSeconds().containsKey(phase)
            ? String.format("%.2f", report.phaseCpuSeconds().get(phase)) : "-"));
    log.printf("%-40s %8.2f %8.2f%n", "total, start to exit", report.wallSeconds(),
        report.cpuSeconds());
    log.flush();
  }
}
