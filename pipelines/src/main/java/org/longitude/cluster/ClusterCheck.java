package org.longitude.cluster;

import java.io.IOException;
import java.io.PrintWriter;
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
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.longitude.bench.BenchStudy;
import org.longitude.config.Location;
import org.longitude.config.Study;
import org.longitude.config.StudyKey;
import org.longitude.config.StudyLoader;
import org.longitude.demo.DemoClinics;
import org.longitude.demo.DemoStudy;
import org.longitude.demo.SyntheticStudy;
import org.longitude.pipeline.StudyRun;

/**
 * {@code longitude cluster-check flink}: starts a Flink session cluster of separate JVMs on
 * this machine ({@link FlinkSession}), runs the demo study on it and on the DirectRunner and
 * compares the two runs ({@link RunComparison}); then, given a number of Observations, runs a
 * study of one NDJSON clinic that large twice on the cluster, the second time killing
 * ({@code kill -9}) a TaskManager that holds tasks while the pull runs, and compares those.
 * Prints wall times and every difference; stops the processes it started.
 */
public final class ClusterCheck {
  /** Every run of the check has this id, so that rows (which carry it) compare as they are. */
  static final String RUN_ID = "cluster-check";
  private static final StudyKey KEY = StudyKey.of(
      "longitude-cluster-check-key-32-bytes!".getBytes(java.nio.charset.StandardCharsets.UTF_8));
  private final Path dir;
  private final int taskManagers;
  private final int parallelism;
  private final PrintWriter log;

  /**
   * @param dir where the cluster's configuration and logs, and the runs' outputs, go
   * @param taskManagers how many TaskManagers (of {@value FlinkSession#SLOTS_PER_TASK_MANAGER}
   *     slots each); one more than {@code parallelism} needs, so that one can be lost
   */
  public ClusterCheck(Path dir, int taskManagers, int parallelism, PrintWriter log) {
    this.dir = dir.toAbsolutePath().normalize();
    this.taskManagers = taskManagers;
    this.parallelism = parallelism;
    this.log = log;
  }

  /**
   * Runs the check; returns whether every comparison found the runs equal.
   *
   * @param observations the size of the study whose run loses a TaskManager; 0: none
   */
  public boolean flink(int participants, long observations) throws IOException {
    if (Files.exists(dir)) {
      throw new IOException(dir + " exists: give the check a new folder");
    }
    boolean equal = true;
    try (FlinkSession cluster = FlinkSession.start(dir.resolve("flink"), taskManagers)) {
      say("Flink session cluster at %s: %d TaskManagers x %d slots (logs in %s)",
          cluster.master(), taskManagers, FlinkSession.SLOTS_PER_TASK_MANAGER,
          dir.resolve("flink/logs"));
      try (DemoClinics clinics = DemoStudy.startClinics(SyntheticStudy.generate(20261125L,
          participants))) {
        Study demo = DemoStudy.pointAt(StudyLoader.load(StudyLoader.DEMO), clinics,
            dir.resolve("demo-clinic-exports"));
        Timed direct = run("demo on the DirectRunner", demo, "demo-direct", direct());
        Timed flink = run("demo on the Flink cluster", demo, "demo-flink",
            flink(cluster.master()));
        equal &= compare(direct, flink);
      }
      if (observations > 0) {
        Study large = StudyLoader.load(Location.file(BenchStudy.withGeneratedClinic(
            dir.resolve("ndjson-study"), observations, 20261125L)));
        Timed calm = run("NDJSON study on the cluster", large, "large-undisturbed",
            flink(cluster.master()));
        Timed disturbed = runLosingATaskManager(cluster, large, calm.wall().dividedBy(4));
        equal &= compare(calm, disturbed);
        say("killed-worker slowdown: %.2fx (%.1f s vs %.1f s; restart delay %d s, heartbeat "
            + "timeout %d s)", seconds(disturbed.wall()) / seconds(calm.wall()),
            seconds(disturbed.wall()), seconds(calm.wall()),
            FlinkSession.RESTART_DELAY.toSeconds(), FlinkSession.HEARTBEAT_TIMEOUT.toSeconds());
      }
    }
    say(equal ? "cluster check: every comparison equal" : "cluster check: DIFFERENCES found");
    return equal;
  }

  private record Timed(String name, StudyRun.Result result, Duration wall) {}

  private Timed run(String name, Study study, String output, PipelineOptions options)
      throws IOException {
    Instant start = Instant.now();
    StudyRun.Result result = StudyRun.run(study, KEY, dir.resolve(output), options, RUN_ID,
        SyntheticStudy.REFERENCE_DATE);
    Timed timed = new Timed(name, result, Duration.between(start, Instant.now()));
    say("%s: %s in %.1f s", name, result.status(), seconds(timed.wall()));
    return timed;
  }

  /**
   * Runs the study on the cluster and, once its job is running, the pull has landed records
   * and {@code after} has passed (a quarter of an undisturbed run: within the pull), kills a
   * TaskManager that holds tasks; the job restarts on the others.
   */
  private Timed runLosingATaskManager(FlinkSession cluster, Study study, Duration after)
      throws IOException {
    String name = "NDJSON study on the cluster, a TaskManager killed";
    Path output = dir.resolve("large-killed-worker");
    PipelineOptions options = flink(cluster.master());
    CompletableFuture<Timed> running = CompletableFuture.supplyAsync(() -> {
      try {
        return run(name, study, "large-killed-worker", options);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    Instant start = Instant.now();
    boolean killed = false;
    long restarts = 0;
    while (!running.isDone()) {
      if (!killed && cluster.jobRunning() && landed(output)
          && Duration.between(start, Instant.now()).compareTo(after) >= 0) {
        var victim = cluster.busyTaskManager();
        if (victim.isPresent()) {
          victim.get().kill();
          killed = true;
          say("killed %s (pid %d, kill -9) %.1f s into the run, while the pull ran",
              victim.get().name(), victim.get().pid(),
              seconds(Duration.between(start, Instant.now())));
        }
      }
      restarts = Math.max(restarts, cluster.restarts());
      JvmProcess.pause(Duration.ofMillis(500));
    }
    say("the job restarted %d time(s)", restarts);
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
    if (!a.result().published() || !b.result().published()) {
      differences.add("not both published: " + a.result().status() + ", "
          + b.result().status());
    } else {
      differences.addAll(RunComparison.differences(a.result(), b.result()));
    }
    var tables = RunComparison.tables(a.result().layout().research());
    say("compared %s with %s: %d research tables (%d rows), exact accounting, quarantine: %s",
        b.name(), a.name(), tables.size(), tables.values().stream().mapToInt(List::size).sum(),
        differences.isEmpty() ? "equal" : "DIFFERENT");
    differences.forEach(d -> say("  %s", d));
    return differences.isEmpty();
  }

  private PipelineOptions flink(String master) {
    FlinkPipelineOptions options = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    options.setRunner(FlinkRunner.class);
    options.setFlinkMaster(master);
    options.setParallelism(parallelism);
    // The TaskManagers run from the same class path: ship only Longitude's own classes.
    options.setFilesToStage(List.of(System.getProperty("java.class.path").split(":")[0]));
    StudyRun.tuneForProduction(options);
    return options;
  }

  private static PipelineOptions direct() {
    PipelineOptions options = PipelineOptionsFactory.create();
    options.setRunner(DirectRunner.class);
    StudyRun.tuneForProduction(options);
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
