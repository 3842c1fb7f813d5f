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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.longitude.config.Location;
import org.longitude.config.Study;
import org.longitude.config.StudyKey;
import org.longitude.config.StudyLoader;
import org.longitude.demo.SyntheticStudy;
import org.longitude.pipeline.RunLayout;
import org.longitude.pipeline.RunSummary;
import org.longitude.pipeline.StudyPipeline;
import org.longitude.pipeline.StudyRun;

/**
 * The benchmark: generates one clinic's NDJSON, then times the baseline converter and the
 * study pipeline on each runner on the same files, and reports medians.
 *
 * <p>What is timed for the pipeline is {@code pipeline.run()} to {@code waitUntilFinish()}:
 * extract (with the restricted landing copy), normalize, de-identify, timelines, research
 * Parquet and Avro, and the cohort stage, which is in the same graph. The accounting check
 * runs after the clock stops; publishing and the HTML report are not timed.
 */
public final class Bench {
  /** A runner the pipeline is measured on. */
  public enum Runner { DIRECT, FLINK }

  /** What to measure. */
  public record Settings(long observations, int repetitions, Path output, List<Runner> runners,
      long seed) {}

  /** The median of one path's repetitions. */
  public record Figure(String path, long observations, double wallSeconds,
      double observationsPerSecond, double cpuSeconds, long peakHeapBytes, int repetitions) {}

  /** Everything one invocation measured, as written to {@code bench.json}. */
  public record Report(long observations, int cores, String javaVersion, long maxHeapBytes,
      List<Figure> figures, Map<String, Double> ratios, String cohortStage,
      String baselineParquet, Map<String, String> pipelineResearch) {}

  static final String BASELINE = "a_baseline";
  static final String DIRECT = "b_direct_runner";
  static final String FLINK = "c_flink_embedded";
  /** A fixed key: the data are synthetic and the runs must be comparable. */
  static final StudyKey KEY =
      StudyKey.of("longitude-bench-key-synthetic-data-only!".getBytes(StandardCharsets.UTF_8));

  private final Settings settings;
  private final PrintWriter log;

  public Bench(Settings settings, PrintWriter log) {
    this.settings = settings;
    this.log = log;
  }

  public Report run() throws IOException {
    Path out = settings.output().toAbsolutePath().normalize();
    Path data = out.resolve("data").resolve(BenchData.CLINIC);
    log.printf("bench: ~%,d Observations for clinic %s in %s (generated unless already "
        + "there for this size and seed)%n", settings.observations(), BenchData.CLINIC, data);
    log.flush();
    BenchData.Generated generated = BenchData.write(data, settings.observations(),
        settings.seed());
    long n = generated.observations();
    log.printf("bench: %,d Observation lines%n", n);
    Study study = StudyLoader.load(Location.file(BenchStudy.write(out.resolve("study"), data)));

    List<Figure> figures = new ArrayList<>();
    Path baselineFile = out.resolve("baseline").resolve("observations.parquet");
    Files.createDirectories(baselineFile.getParent());
    BaselineConverter baseline = new BaselineConverter(study.catalog(), BenchData.CLINIC,
        "bench-baseline");
    figures.add(measure(BASELINE, n, () -> baseline.convert(data.resolve("Observation.ndjson"),
        baselineFile)));

    Map<String, String> research = new LinkedHashMap<>();
    for (Runner runner : settings.runners()) {
      String name = runner == Runner.DIRECT ? DIRECT : FLINK;
      Path runs = out.resolve("runs").resolve(name);
      int[] attempt = {0};
      RunLayout[] last = {null};
      figures.add(measure(name, n, () -> {
        BenchData.deleteTree(runs); // one run's files on disk at a time
        RunLayout layout = new RunLayout(runs, "run-" + attempt[0]++);
        last[0] = layout;
        return ingest(study, layout, options(runner));
      }));
      research.put(name, last[0].researchStaging().toString());
    }

    Map<String, Double> ratios = new LinkedHashMap<>();
    double base = figures.get(0).observationsPerSecond();
    for (Figure f : figures.subList(1, figures.size())) {
      ratios.put(f.path() + "/" + BASELINE, f.observationsPerSecond() / base);
    }
    Report report = new Report(n, Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"), Runtime.getRuntime().maxMemory(), figures, ratios,
        "included in b and c: ComputeCohorts runs in the same pipeline graph; not timed apart",
        baselineFile.toString(), research);
    Files.createDirectories(out);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(out.resolve("bench.json").toFile(), report);
    print(report);
    return report;
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
    StudyRun.tuneForProduction(options);
    return options;
  }

  /** Runs the study pipeline; fails if the run's accounting does not add up. */
  static long ingest(Study study, RunLayout layout, PipelineOptions options) throws IOException {
    layout.create();
    Pipeline pipeline = Pipeline.create(options);
    StudyPipeline.build(pipeline, study, KEY, layout, SyntheticStudy.REFERENCE_DATE);
    PipelineResult result = pipeline.run();
    PipelineResult.State state = result.waitUntilFinish();
    RunSummary summary = RunSummary.from(result.metrics(), layout.runId(),
        study.clinics().stream().map(Study.Clinic::id).toList(),
        new org.longitude.deid.SmallCells(study.deid().smallCellMax()));
    if (state != PipelineResult.State.DONE || !summary.imbalances().isEmpty()
        || !summary.failedClinics().isEmpty()) {
      throw new IllegalStateException("bench run " + layout.runId() + " ended " + state
          + "; imbalances " + summary.imbalances() + "; failed " + summary.failedClinics());
    }
    return 0;
  }

  /** Something measured; returns a count only so the JIT cannot drop the work. */
  interface Work {
    long run() throws IOException;
  }

  private Figure measure(String name, long n, Work work) throws IOException {
    log.printf("bench: %s warm-up%n", name);
    log.flush();
    work.run();
    Probe probe = new Probe();
    List<Probe.Sample> samples = new ArrayList<>();
    for (int i = 0; i < settings.repetitions(); i++) {
      probe.start();
      work.run();
      Probe.Sample s = probe.stop();
      samples.add(s);
      log.printf("bench: %s repetition %d: %.1f s wall, %.1f s CPU, %,d MB peak heap%n", name,
          i + 1, s.wallSeconds(), s.cpuSeconds(), s.peakHeapBytes() >> 20);
      log.flush();
    }
    double wall = median(samples.stream().mapToDouble(Probe.Sample::wallSeconds).toArray());
    double cpu = median(samples.stream().mapToDouble(Probe.Sample::cpuSeconds).toArray());
    long heap = (long) median(samples.stream().mapToDouble(Probe.Sample::peakHeapBytes).toArray());
    return new Figure(name, n, wall, n / wall, cpu, heap, samples.size());
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
    log.printf("%-18s %12s %10s %10s %14s%n", "path", "obs/s", "wall s", "CPU s", "peak heap MB");
    for (Figure f : report.figures()) {
      log.printf("%-18s %,12.0f %10.1f %10.1f %,14d%n", f.path(), f.observationsPerSecond(),
          f.wallSeconds(), f.cpuSeconds(), f.peakHeapBytes() >> 20);
    }
    report.ratios().forEach((k, v) -> log.printf("ratio %s = %.2f%n", k, v));
    log.printf("cohort stage: %s%n", report.cohortStage());
    log.flush();
  }
}
