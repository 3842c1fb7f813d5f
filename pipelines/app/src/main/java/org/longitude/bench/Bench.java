package org.longitude.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.longitude.common.LocalFolders;
import org.longitude.config.Location;
import org.longitude.config.Study;
import org.longitude.config.StudyKey;
import org.longitude.config.StudyLoader;
import org.longitude.demo.SyntheticStudy;
import org.longitude.operate.StudyRun;
import org.longitude.pipeline.LedgerFile;
import org.longitude.pipeline.PipelineRun;
import org.longitude.pipeline.RunLayout;
import org.longitude.pipeline.RunSummary;
import org.longitude.pipeline.StudyPipeline;

/**
 * The benchmark: generates one clinic's NDJSON, then times on the same files (a) the baseline
 * converter, (b) Longitude's ingest on each runner asked for, and (d) the cohort stage on the
 * ingest's output, and reports medians. Flink's embedded cluster is the default local runner
 * ({@code longitude run} without {@code --runner}), so its ingest figure is both (b) and (c).
 *
 * <p>What is timed for a pipeline is {@code pipeline.run()} to {@code waitUntilFinish()}. The
 * ingest is extract (with the restricted landing copy), normalize, de-identify, timelines,
 * the research observations, participants and treatments in Parquet and Avro, and the kept
 * timelines written for (d); the cohort stage reads those timelines and writes the cohort
 * tables. The accounting check runs after the clock stops; publishing and the HTML report,
 * which {@code longitude run} adds, are not timed.
 */
public final class Bench {
  /** A runner the ingest is measured on. */
  public enum Runner { DIRECT, FLINK }

  /**
   * What to measure.
   *
   * @param warmups unmeasured runs of each path before its repetitions
   * @param scoresPerParticipant at most this many Observations per participant; 0: as generated
   * @param withView also measure each ingest with a study view of every Observation
   *     ({@link BenchStudy#VIEW}: five columns)
   */
  public record Settings(long observations, int warmups, int repetitions, Path output,
      List<Runner> runners, long seed, int scoresPerParticipant, boolean withView) {}

  /** The median of one path's repetitions. */
  public record Figure(String path, long observations, double wallSeconds,
      double observationsPerSecond, double cpuSeconds, long peakHeapBytes,
      long peakHeapAfterGcBytes, int repetitions) {}

  /** Everything one invocation measured, as written to {@code bench.json}. */
  public record Report(long observations, int cores, String javaVersion, long maxHeapBytes,
      String defaultRunner, List<Figure> figures, Map<String, Double> ratios,
      String baselineParquet, Map<String, String> pipelineResearch) {}

  static final String BASELINE = "a_baseline";
  static final String COHORT = "d_cohort";
  static final String WITH_VIEW = "_with_view";
  static final String DEFAULT_RUNNER = "FlinkRunner on Flink's embedded cluster, parallelism = "
      + "cores: (b) on the default runner and (c) on embedded Flink are one measurement";
  /** A fixed key: the data are synthetic and the runs must be comparable. */
  private static final byte[] KEY_BYTES =
      "longitude-bench-key-synthetic-data-only!".getBytes(StandardCharsets.UTF_8);
  static final StudyKey KEY = StudyKey.of(KEY_BYTES);
  /** The same key, as a {@code longitude run} child process reads it from its environment. */
  static final String KEY_BASE64 = Base64.getEncoder().encodeToString(KEY_BYTES);

  private final Settings settings;
  private final PrintWriter log;

  public Bench(Settings settings, PrintWriter log) {
    this.settings = settings;
    this.log = log;
  }

  /** The figure name of the ingest on {@code runner}. */
  static String ingest(Runner runner) {
    return runner == Runner.DIRECT ? "b_ingest_direct_runner" : "b_c_ingest_flink_embedded";
  }

  public Report run() throws IOException {
    Path out = settings.output().toAbsolutePath().normalize();
    Path data = out.resolve("data").resolve(BenchData.CLINIC);
    log.printf("bench: ~%,d Observations for clinic %s in %s (generated unless already "
        + "there for this size and seed)%n", settings.observations(), BenchData.CLINIC, data);
    log.flush();
    BenchData.Generated generated = BenchData.write(data, settings.observations(),
        settings.seed(), settings.scoresPerParticipant());
    long n = generated.observations();
    log.printf("bench: %,d Observation lines%n", n);
    Study study = StudyLoader.load(Location.file(BenchStudy.write(out.resolve("study"), data)));
    Study withView = settings.withView() ? StudyLoader.load(Location.file(
        BenchStudy.writeWithView(out.resolve("study-with-view"), data))) : null;

    List<Figure> figures = new ArrayList<>();
    Path baselineFile = out.resolve("baseline").resolve("observations.parquet");
    Files.createDirectories(baselineFile.getParent());
    BaselineConverter baseline = new BaselineConverter(study.catalog(), BenchData.CLINIC,
        "bench-baseline");
    figures.add(measure(BASELINE, n, () -> baseline.convert(data.resolve("Observation.ndjson"),
        baselineFile)));

    Map<String, String> research = new LinkedHashMap<>();
    String timelines = null;
    Runner last = null;
    for (Runner runner : settings.runners()) {
      String name = ingest(runner);
      Path runs = out.resolve("runs").resolve(name);
      int[] attempt = {0};
      RunLayout[] layout = {null};
      figures.add(measure(name, n, () -> {
        LocalFolders.delete(runs); // one run's files on disk at a time
        layout[0] = new RunLayout(runs, "run-" + attempt[0]++);
        return ingest(study, layout[0], options(runner), timelinesOf(layout[0]));
      }));
      research.put(name, layout[0].researchStaging().toString());
      timelines = timelinesOf(layout[0]);
      last = runner;
      if (withView != null) {
        Path viewRuns = out.resolve("runs").resolve(name + WITH_VIEW);
        figures.add(measure(name + WITH_VIEW, n, () -> {
          LocalFolders.delete(viewRuns);
          layout[0] = new RunLayout(viewRuns, "run-" + attempt[0]++);
          return ingest(withView, layout[0], options(runner), timelinesOf(layout[0]));
        }));
        research.put(name + WITH_VIEW, layout[0].researchStaging().toString());
      }
    }
    if (last != null) {
      Runner runner = last;
      String from = timelines;
      Path runs = out.resolve("runs").resolve(COHORT);
      int[] attempt = {0};
      RunLayout[] layout = {null};
      figures.add(measure(COHORT + "_" + runner.name().toLowerCase(Locale.ROOT), n, () -> {
        LocalFolders.delete(runs);
        layout[0] = new RunLayout(runs, "cohort-" + attempt[0]++);
        return cohort(study, layout[0], options(runner), from);
      }));
      research.put(COHORT, layout[0].researchStaging().toString());
    }

    Map<String, Double> ratios = new LinkedHashMap<>();
    Figure base = figures.get(0);
    Figure ingest = null;
    for (Figure f : figures.subList(1, figures.size())) {
      if (f.path().endsWith(WITH_VIEW)) {
        ratios.put("wall " + f.path() + "/" + ingest.path(),
            f.wallSeconds() / ingest.wallSeconds());
      } else if (f.path().startsWith("b_")) {
        ratios.put(f.path() + "/" + BASELINE, f.observationsPerSecond()
            / base.observationsPerSecond());
        ingest = f;
      }
    }
    if (last != null) {
      Figure cohort = figures.get(figures.size() - 1);
      ratios.put("wall " + cohort.path() + "/" + ingest.path(),
          cohort.wallSeconds() / ingest.wallSeconds());
    }
    Report report = new Report(n, Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"), Runtime.getRuntime().maxMemory(), DEFAULT_RUNNER,
        figures, ratios, baselineFile.toString(), research);
    Files.createDirectories(out);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(out.resolve("bench.json").toFile(), report);
    print(report);
    return report;
  }

  private static String timelinesOf(RunLayout layout) {
    return layout.restricted().resolve("bench-timelines").toString();
  }

  /** Production settings, as {@code longitude run} uses them. */
  static PipelineOptions options(Runner runner) {
    PipelineOptions options;
    if (runner == Runner.FLINK) {
      FlinkPipelineOptions flink = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
      flink.setRunner(FlinkRunner.class);
      flink.setFlinkMaster("[local]");
      flink.setParallelism(Runtime.getRuntime().availableProcessors());
      options = flink;
    } else {
      options = PipelineOptionsFactory.create();
      options.setRunner(DirectRunner.class);
    }
    PipelineRun.tuneForProduction(options);
    return options;
  }

  /**
   * Runs the ingest, keeping its timelines in {@code timelines}; fails if the run's
   * accounting does not add up.
   */
  static long ingest(Study study, RunLayout layout, PipelineOptions options, String timelines)
      throws IOException {
    layout.create();
    Pipeline pipeline = Pipeline.create(options);
    StudyPipeline.ingest(pipeline, study, KEY, layout, SyntheticStudy.REFERENCE_DATE)
        .timelines().apply("KeepTimelines", TimelineFiles.write(timelines));
    PipelineResult result = pipeline.run();
    PipelineResult.State state = result.waitUntilFinish();
    RunSummary summary = RunSummary.from(LedgerFile.read(layout.data().ledger()), layout.runId(),
        study.clinics().stream().map(Study.Clinic::id).toList(),
        new org.longitude.release.SmallCells(study.deid().smallCellMax()));
    if (state != PipelineResult.State.DONE || !summary.imbalances().isEmpty()
        || !summary.failedClinics().isEmpty()) {
      throw new IllegalStateException("bench run " + layout.runId() + " ended " + state
          + "; imbalances " + summary.imbalances() + "; failed " + summary.failedClinics());
    }
    return 0;
  }

  /** Runs the cohort stage on the timelines an ingest kept. */
  static long cohort(Study study, RunLayout layout, PipelineOptions options, String timelines)
      throws IOException {
    layout.create();
    Pipeline pipeline = Pipeline.create(options);
    StudyPipeline.cohorts(pipeline.apply("ReadTimelines", TimelineFiles.read(timelines)),
        study, layout, layout.runId());
    PipelineResult.State state = pipeline.run().waitUntilFinish();
    if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException("bench cohort run " + layout.runId() + " ended " + state);
    }
    return 0;
  }

  /** Something measured; returns a count only so the JIT cannot drop the work. */
  interface Work {
    long run() throws IOException;
  }

  private Figure measure(String name, long n, Work work) throws IOException {
    for (int i = 0; i < settings.warmups(); i++) {
      log.printf("bench: %s warm-up%n", name);
      log.flush();
      work.run();
    }
    Probe probe = new Probe();
    List<Probe.Sample> samples = new ArrayList<>();
    for (int i = 0; i < settings.repetitions(); i++) {
      probe.start();
      work.run();
      Probe.Sample s = probe.stop();
      samples.add(s);
      log.printf("bench: %s repetition %d: %.1f s wall, %.1f s CPU, %,d MB peak heap, %,d MB "
          + "after GC%n", name, i + 1, s.wallSeconds(), s.cpuSeconds(), s.peakHeapBytes() >> 20,
          s.peakHeapAfterGcBytes() >> 20);
      log.flush();
    }
    double wall = median(samples.stream().mapToDouble(Probe.Sample::wallSeconds).toArray());
    double cpu = median(samples.stream().mapToDouble(Probe.Sample::cpuSeconds).toArray());
    long heap = (long) median(samples.stream().mapToDouble(Probe.Sample::peakHeapBytes).toArray());
    long afterGc = (long) median(samples.stream()
        .mapToDouble(Probe.Sample::peakHeapAfterGcBytes).toArray());
    return new Figure(name, n, wall, n / wall, cpu, heap, afterGc, samples.size());
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int k = sorted.length;
    return k % 2 == 1 ? sorted[k / 2] : (sorted[k / 2 - 1] + sorted[k / 2]) / 2;
  }

  private void print(Report report) {
    log.printf("%n%,d Observations, %d cores, Java %s, max heap %,d MB (medians of %d)%n",
        report.observations(), report.cores(), report.javaVersion(),
        report.maxHeapBytes() >> 20, settings.repetitions());
    log.printf("%-26s %12s %10s %10s %14s %14s%n", "path", "obs/s", "wall s", "CPU s",
        "peak heap MB", "after GC MB");
    for (Figure f : report.figures()) {
      log.printf("%-26s %,12.0f %10.1f %10.1f %,14d %,14d%n", f.path(),
          f.observationsPerSecond(), f.wallSeconds(), f.cpuSeconds(), f.peakHeapBytes() >> 20,
          f.peakHeapAfterGcBytes() >> 20);
    }
    report.ratios().forEach((k, v) -> log.printf("ratio %s = %.2f%n", k, v));
    log.printf("default runner: %s%n", report.defaultRunner());
    log.flush();
  }
}
