package org.longitude.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.longitude.config.Study;
import org.longitude.demo.DemoClinics;
import org.longitude.operate.StudyRun;
import org.longitude.pipeline.PipelineRun;

/**
 * A Flink 1.19 standalone session cluster on 127.0.0.1, as separate JVMs started from this
 * JVM's class path (the Flink jars Longitude runs with; no Flink distribution): one
 * JobManager ({@code StandaloneSessionClusterEntrypoint}) and {@code n} TaskManagers
 * ({@code TaskManagerRunner}), each with the small configuration they read written to
 * {@code <dir>/conf/flink-conf.yaml}: free ports, a fixed-delay restart strategy whose delay
 * exceeds the heartbeat timeout (restarting sooner redeploys onto a dead TaskManager that the
 * JobManager still counts, and uses up the attempts) restarting the whole job (restarting
 * only the failed region, its consumers then miss the dead TaskManager's results, fail in
 * turn and use up more attempts), parent-first class loading (the TaskManagers already hold
 * the job's classes). Processes are stopped by their own handles.
 */
final class FlinkSession implements ClusterSession {
  /**
   * Long enough that a busy machine does not lose a live TaskManager (10 s did here, at a load
   * of 10 on 2 cores, and the restarts it caused used up the attempts); Flink's default is 50 s.
   */
  static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(30);
  /** Longer than the heartbeat timeout: the dead TaskManager's slots are gone by then. */
  static final Duration RESTART_DELAY = Duration.ofSeconds(40);
  static final int SLOTS_PER_TASK_MANAGER = 2;
  private final Path dir;
  private final int restPort;
  private final int parallelism;
  private final JvmProcess jobManager;
  private final List<JvmProcess> taskManagers = new ArrayList<>();
  private final StatusPages pages;
  private long mostRestarts;

  private FlinkSession(Path dir, int restPort, int parallelism, JvmProcess jobManager) {
    this.dir = dir;
    this.restPort = restPort;
    this.parallelism = parallelism;
    this.jobManager = jobManager;
    this.pages = new StatusPages("http://" + master());
  }

  /**
   * Starts the JobManager and {@code taskManagers} TaskManagers, for runs of {@code
   * parallelism}; returns once all registered.
   */
  static FlinkSession start(Path dir, int taskManagers, int parallelism) throws IOException {
    Path conf = Files.createDirectories(dir.resolve("conf"));
    int restPort = JvmProcess.freePort();
    Files.writeString(conf.resolve("flink-conf.yaml"), config(JvmProcess.freePort(), restPort));
    FlinkSession session = new FlinkSession(dir, restPort, parallelism, JvmProcess.start(dir,
        "jobmanager",
        List.of("-Xmx512m"),
        "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
        List.of("--configDir", conf.toString())));
    try {
      for (int i = 1; i <= taskManagers; i++) {
        session.startTaskManager("taskmanager-" + i);
      }
      session.awaitTaskManagers(taskManagers);
      return session;
    } catch (IOException | RuntimeException e) {
      session.close();
      throw e;
    }
  }

  private static String config(int rpcPort, int restPort) {
    return """
        # Written by longitude cluster-check: a session cluster on this machine only.
        jobmanager.rpc.address: 127.0.0.1
        jobmanager.rpc.port: %d
        jobmanager.bind-host: 127.0.0.1
        jobmanager.memory.process.size: 1024m
        rest.address: 127.0.0.1
        rest.bind-address: 127.0.0.1
        rest.port: %d
        blob.server.port: 0
        taskmanager.host: 127.0.0.1
        taskmanager.bind-host: 127.0.0.1
        taskmanager.rpc.port: 0
        taskmanager.data.port: 0
        taskmanager.numberOfTaskSlots: %d
        # Started without Flink's scripts, a TaskManager reads every memory size from here
        # (the JVM gets -Xmx = framework + task heap, -XX:MaxDirectMemorySize = the off-heap).
        taskmanager.cpu.cores: 1.0
        taskmanager.memory.framework.heap.size: 128m
        taskmanager.memory.task.heap.size: 384m
        taskmanager.memory.managed.size: 256m
        taskmanager.memory.framework.off-heap.size: 128m
        taskmanager.memory.task.off-heap.size: 0m
        taskmanager.memory.network.min: 256m
        taskmanager.memory.network.max: 256m
        # Each blocking partition being written takes this many buffers (Flink's default 512):
        # since the study views were added, so many of the demo's run at once on a TaskManager
        # that 4096 buffers, then 8192, did not suffice ("required 512, but only 457 available").
        taskmanager.network.sort-shuffle.min-buffers: 64
        taskmanager.memory.jvm-metaspace.size: 256m
        taskmanager.memory.jvm-overhead.min: 192m
        taskmanager.memory.jvm-overhead.max: 192m
        classloader.resolve-order: parent-first
        heartbeat.interval: 5000
        heartbeat.timeout: %d
        jobmanager.execution.failover-strategy: full
        restart-strategy.type: fixed-delay
        restart-strategy.fixed-delay.attempts: 5
        restart-strategy.fixed-delay.delay: %d s
        """.formatted(rpcPort, restPort, SLOTS_PER_TASK_MANAGER, HEARTBEAT_TIMEOUT.toMillis(),
        RESTART_DELAY.toSeconds());
  }

  private void startTaskManager(String name) throws IOException {
    taskManagers.add(JvmProcess.start(dir, name,
        List.of("-Xmx512m", "-XX:MaxDirectMemorySize=384m"),
        "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
        List.of("--configDir", dir.resolve("conf").toString(),
            "-Dtaskmanager.resource-id=" + name)));
  }

  /** The address to submit to: {@code --flink-master 127.0.0.1:<rest port>}. */
  String master() {
    return "127.0.0.1:" + restPort;
  }

  @Override
  public String describe() {
    return String.format(Locale.ROOT, "Flink session cluster at %s: %d TaskManagers x %d slots, "
        + "parallelism %d (logs in %s)", master(), taskManagers.size(), SLOTS_PER_TASK_MANAGER,
        parallelism, dir.resolve("logs"));
  }

  /** Submits the study's job from this JVM (it holds Flink's client), and waits for its end. */
  @Override
  public StudyRun.Status run(Study study, Path output) throws IOException {
    FlinkPipelineOptions options = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    options.setRunner(FlinkRunner.class);
    options.setFlinkMaster(master());
    options.setParallelism(parallelism);
    // The TaskManagers run from the same class path: ship only Longitude's own classes.
    options.setFilesToStage(ownJars());
    PipelineRun.tuneForProduction(options);
    return CheckRun.run(study, output, options);
  }

  /**
   * Longitude's own jars (or class folders, under Maven): its modules', core's (the pipeline),
   * demo's and app's (this class), in that order.
   */
  static List<String> ownJars() {
    List<String> jars = new ArrayList<>();
    for (Class<?> module : List.of(StudyRun.class, DemoClinics.class, FlinkSession.class)) {
      String jar = JvmProcess.jarOf(module);
      if (!jars.contains(jar)) {
        jars.add(jar);
      }
    }
    return jars;
  }

  @Override
  public Optional<BusyProcess> busyProcess() {
    if (!jobRunning()) {
      return Optional.empty();
    }
    return busyTaskManager().map(p -> new BusyProcess(p.name(), p.handle()));
  }

  @Override
  public String recovery() {
    mostRestarts = Math.max(mostRestarts, restarts());
    return String.format(Locale.ROOT, "the job restarted %d time(s) (restart delay %d s, "
        + "heartbeat timeout %d s)", mostRestarts, RESTART_DELAY.toSeconds(),
        HEARTBEAT_TIMEOUT.toSeconds());
  }

  private void awaitTaskManagers(int n) throws IOException {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
    while (registeredTaskManagers() < n) {
      if (Instant.now().isAfter(deadline) || !jobManager.isAlive()) {
        throw new IOException("the Flink cluster did not come up; see the logs in "
            + dir.resolve("logs"));
      }
      JvmProcess.pause(Duration.ofMillis(500));
    }
  }

  private int registeredTaskManagers() {
    return pages.get("/taskmanagers").map(t -> t.path("taskmanagers").size()).orElse(0);
  }

  /** Whether a job is running (its tasks deployed). */
  private boolean jobRunning() {
    return pages.get("/jobs/overview").map(o -> {
      for (JsonNode job : o.path("jobs")) {
        if (job.path("state").asText().equals("RUNNING")) {
          return true;
        }
      }
      return false;
    }).orElse(false);
  }

  /** A live TaskManager with tasks deployed on it (its slots taken), if any. */
  private Optional<JvmProcess> busyTaskManager() {
    Optional<JsonNode> tms = pages.get("/taskmanagers");
    if (tms.isEmpty()) {
      return Optional.empty();
    }
    for (JsonNode tm : tms.get().path("taskmanagers")) {
      if (tm.path("freeSlots").asInt() < tm.path("slotsNumber").asInt()) {
        String id = tm.path("id").asText();
        return taskManagers.stream().filter(p -> p.name().equals(id) && p.isAlive()).findFirst();
      }
    }
    return Optional.empty();
  }

  /** The most restarts of a job not yet finished (its numRestarts metric); 0 if none. */
  private long restarts() {
    long most = 0;
    JsonNode jobs = pages.get("/jobs/overview").map(o -> o.path("jobs"))
        .orElse(MissingNode.getInstance());
    for (JsonNode job : jobs) {
      if (!job.path("state").asText().equals("FINISHED")) {
        Optional<JsonNode> m = pages.get("/jobs/" + job.path("jid").asText()
            + "/metrics?get=numRestarts");
        if (m.isPresent() && m.get().size() > 0) {
          most = Math.max(most, m.get().get(0).path("value").asLong());
        }
      }
    }
    return most;
  }

  /** Stops every process this session started, by its own handle. */
  @Override
  public void close() {
    List<JvmProcess> all = new ArrayList<>(taskManagers);
    all.add(jobManager);
    all.forEach(JvmProcess::stop);
  }
}
