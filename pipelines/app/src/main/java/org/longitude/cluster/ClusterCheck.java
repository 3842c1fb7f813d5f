package org.longitude.cluster;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.longitude.bench.BenchStudy;
import org.longitude.config.Location;
import org.longitude.config.Study;
import org.longitude.config.StudyLoader;
import org.longitude.demo.DemoClinics;
import org.longitude.demo.DemoStudy;
import org.longitude.demo.SyntheticStudy;
import org.longitude.operate.StudyRun;
import org.longitude.pipeline.PipelineRun;
import org.longitude.pipeline.RunLayout;

/**
 * {@code longitude cluster-check flink|spark}: starts a cluster of separate JVMs on this
 * machine ({@link FlinkSession}, {@link SparkStandalone}), runs the demo study on it and on the
 * DirectRunner and compares the two runs ({@link RunComparison}); then, given a number of
 * Observations, runs a study of one NDJSON clinic that large twice on the cluster, the second
 * time killing ({@code kill -9}) a worker that holds tasks while the pull runs, and compares
 * those. Prints wall times and every difference; stops the processes it started.
 */
public final class ClusterCheck {
  /** The clusters the check can start. */
  public enum Kind {
    FLINK,
    SPARK
  }

  private final Path dir;
  private final int workers;
  private final int parallelism;
  private final PrintWriter log;

  /**
   * @param dir where the cluster's configuration and logs, and the runs' outputs, go
   * @param workers how many TaskManagers or Workers (of 2 slots or cores each); one more than
   *     {@code parallelism} needs, so that one can be lost
   */
  public ClusterCheck(Path dir, int workers, int parallelism, PrintWriter log) {
    this.dir = dir.toAbsolutePath().normalize();
    this.workers = workers;
    this.parallelism = parallelism;
    this.log = log;
  }

  /**
   * Runs the check; returns whether every comparison found the runs equal.
   *
   * @param observations the size of the study whose run loses a worker; 0: none
   */
  public boolean run(Kind kind, int participants, long observations) throws IOException {
    if (Files.exists(dir)) {
      throw new IOException(dir + " exists: give the check a new folder");
    }
    boolean equal = true;
    try (ClusterSession cluster = start(kind)) {
      say("%s", cluster.describe());
      try (DemoClinics clinics = DemoStudy.startClinics(SyntheticStudy.generate(20261125L,
          participants))) {
        Study demo = DemoStudy.pointAt(StudyLoader.load(StudyLoader.DEMO), clinics,
            dir.resolve("demo-clinic-exports"));
        Timed direct = timed("demo on the DirectRunner", "demo-direct",
            output -> CheckRun.run(demo, output, direct()));
        Timed onCluster = timed("demo on the cluster", "demo-cluster",
            output -> cluster.run(demo, output));
        equal &= compare(direct, onCluster);
      }
      if (observations > 0) {
        Study large = StudyLoader.load(Location.file(BenchStudy.withGeneratedClinic(
            dir.resolve("ndjson-study"), observations, 20261125L)));
        Timed calm = timed("NDJSON study on the cluster", "large-undisturbed",
            output -> cluster.run(large, output));
        Timed disturbed = runLosingAWorker(cluster, large, calm.wall().dividedBy(4));
        equal &= compare(calm, disturbed);
        say("killed-worker slowdown: %.2fx (%.1f s vs %.1f s)",
            seconds(disturbed.wall()) / seconds(calm.wall()), seconds(disturbed.wall()),
            seconds(calm.wall()));
      }
    }
    say(equal ? "cluster check: every comparison equal" : "cluster check: DIFFERENCES found");
    return equal;
  }

  private ClusterSession start(Kind kind) throws IOException {
    return switch (kind) {
      case FLINK -> FlinkSession.start(dir.resolve("flink"), workers, parallelism);
      case SPARK -> SparkStandalone.start(dir.resolve("spark"), workers, parallelism);
    };
  }

  /** A run of the study into an output folder, on some runner. */
  private interface StudyRunner {
    StudyRun.Status run(Path output) throws IOException;
  }

  private record Timed(String name, StudyRun.Status status, RunLayout layout, Duration wall) {}

  private Timed timed(String name, String output, StudyRunner runner) throws IOException {
    Instant start = Instant.now();
    Path folder = dir.resolve(output);
    StudyRun.Status status = runner.run(folder);
    Timed timed = new Timed(name, status, CheckRun.layout(folder),
        Duration.between(start, Instant.now()));
    say("%s: %s in %.1f s", name, status, seconds(timed.wall()));
    return timed;
  }

  /**
   * Runs the study on the cluster and, once its job runs, the pull has landed records and
   * {@code after} has passed (a quarter of an undisturbed run: within the pull), kills a
   * worker that holds tasks; the cluster recovers on the others.
   */
  private Timed runLosingAWorker(ClusterSession cluster, Study study, Duration after)
      throws IOException {
    String name = "NDJSON study on the cluster, a worker killed";
    String output = "large-killed-worker";
    CompletableFuture<Timed> running = CompletableFuture.supplyAsync(() -> {
      try {
        return timed(name, output, folder -> cluster.run(study, folder));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    Instant start = Instant.now();
    boolean killed = false;
    String recovery = "";
    while (!running.isDone()) {
      if (!killed && landed(dir.resolve(output))
          && Duration.between(start, Instant.now()).compareTo(after) >= 0) {
        var victim = cluster.busyProcess();
        if (victim.isPresent()) {
          victim.get().kill();
          killed = true;
          say("killed %s (pid %d, kill -9) %.1f s into the run, while the pull ran",
              victim.get().name(), victim.get().pid(),
              seconds(Duration.between(start, Instant.now())));
        }
      }
      recovery = cluster.recovery();
      JvmProcess.pause(Duration.ofMillis(500));
    }
    say(killed ? "recovery: %s" : "NO worker was killed (none held tasks during the pull): %s",
        recovery);
    try {
      return running.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (ExecutionException e) {
      throw new IOException(name + " failed: " + e.getCause().getMessage(), e.getCause());
    }
  }

  /** Whether the run's landing holds a file yet (whole or being written). */
  private static boolean landed(Path output) throws IOException {
    Path landing = output.resolve("restricted/landing");
    if (!Files.isDirectory(landing)) {
      return false;
    }
    try (Stream<Path> files = Files.walk(landing)) {
      return files.anyMatch(Files::isRegularFile);
    }
  }

  private boolean compare(Timed a, Timed b) throws IOException {
    List<String> differences = new ArrayList<>();
    if (!a.status().published() || !b.status().published()) {
      say("compared %s with %s: DIFFERENT, not both published (%s, %s; see the logs named "
          + "above)", b.name(), a.name(), a.status(), b.status());
      return false;
    }
    differences.addAll(RunComparison.differences(a.layout(), b.layout()));
    var tables = RunComparison.tables(a.layout().research());
    say("compared %s with %s: %d research tables (%d rows), exact accounting, quarantine: %s",
        b.name(), a.name(), tables.size(), tables.values().stream().mapToInt(List::size).sum(),
        differences.isEmpty() ? "equal" : "DIFFERENT");
    differences.forEach(d -> say("  %s", d));
    return differences.isEmpty();
  }

  private static PipelineOptions direct() {
    PipelineOptions options = PipelineOptionsFactory.create();
    options.setRunner(DirectRunner.class);
    PipelineRun.tuneForProduction(options);
    return options;
  }

  private static double seconds(Duration d) {
    return d.toMillis() / 1000.0;
  }

  private void say(String format, Object... args) {
    log.println("cluster-check: " + String.format(Locale.ROOT, format, args));
    log.flush();
  }
}
