package org.longitude.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.longitude.config.Study;
import org.longitude.demo.SyntheticStudy;
import org.longitude.operate.StudyRun;

/**
 * A Spark 3.5 standalone cluster on 127.0.0.1, as separate JVMs on Spark's jars (resolved by
 * Maven, {@link SparkJars}; no Spark distribution): one {@code Master} and {@code n} {@code
 * Worker}s on free ports, which start the executors ({@code CoarseGrainedExecutorBackend})
 * from a minimal {@code SPARK_HOME} ({@link SparkHome}). Each run's driver is a JVM of its
 * own in client mode ({@link SparkDriver}, on the job jar, its own module's jars and Spark's
 * jars), since Spark's jars are not on this JVM's class path; its settings are {@code
 * spark.*} system properties, which the SparkConf Beam creates reads. Processes are stopped
 * by their own handles.
 */
final class SparkStandalone implements ClusterSession {
  static final int CORES_PER_WORKER = 2;
  /** Attempts of one task (an executor killed under it costs one) before its job fails. */
  static final int TASK_MAX_FAILURES = 4;
  /** Java 17 hides what Spark reaches into; as spark-submit's launcher would open. */
  private static final List<String> OPENS = Stream.of("java.base/java.lang",
      "java.base/java.lang.invoke", "java.base/java.nio", "java.base/java.util",
      "java.base/sun.nio.ch", "java.base/sun.util.calendar")
      .map(p -> "--add-opens=" + p + "=ALL-UNNAMED").toList();
  private static final String EXECUTOR = "org.apache.spark.executor.CoarseGrainedExecutorBackend";
  private final Path dir;
  private final int masterPort;
  private final int parallelism;
  private final String sparkClassPath;
  private final Path jobJar;
  private final Map<String, String> environment;
  private final JvmProcess master;
  private final StatusPages masterPage;
  private final List<JvmProcess> workers = new ArrayList<>();
  /** The running driver's REST API; null between runs. */
  private volatile StatusPages driverApi;
  private int mostLostExecutors;
  private int mostFailedTasks;

  private SparkStandalone(Path dir, int masterPort, int webUiPort, int parallelism,
      String sparkClassPath, Path jobJar, Map<String, String> environment, JvmProcess master) {
    this.dir = dir;
    this.masterPort = masterPort;
    this.parallelism = parallelism;
    this.sparkClassPath = sparkClassPath;
    this.jobJar = jobJar;
    this.environment = environment;
    this.master = master;
    this.masterPage = new StatusPages("http://127.0.0.1:" + webUiPort);
  }

  /**
   * Resolves Spark's jars, lays out {@code dir/home}, starts the Master and {@code workers}
   * Workers of {@value #CORES_PER_WORKER} cores; returns once all registered.
   */
  static SparkStandalone start(Path dir, int workers, int parallelism) throws IOException {
    SparkJars jars = SparkJars.ofThisCheckout();
    Path jobJar = jars.job(); // refused before anything starts when stale
    List<Path> spark;
    try {
      spark = jars.spark(dir);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while Maven resolved Spark's jars", e);
    }
    Path home = SparkHome.write(dir.resolve("home"), spark, SparkJars.VERSION);
    // The Worker's launcher needs the Scala version (else it looks for a source build), and
    // every process binds to the loopback address only.
    Map<String, String> environment = Map.of("SPARK_HOME", home.toString(),
        "SPARK_SCALA_VERSION", "2.12", "SPARK_LOCAL_IP", "127.0.0.1");
    String classPath = spark.stream().map(Path::toString)
        .collect(Collectors.joining(java.io.File.pathSeparator));
    int masterPort = JvmProcess.freePort();
    int webUiPort = JvmProcess.freePort();
    SparkStandalone cluster = new SparkStandalone(dir, masterPort, webUiPort, parallelism,
        classPath, jobJar, environment, JvmProcess.start(dir, "master", classPath, environment,
            jvmOptions("-Xmx256m"), "org.apache.spark.deploy.master.Master",
            List.of("--host", "127.0.0.1", "--port", "" + masterPort,
                "--webui-port", "" + webUiPort)));
    try {
      for (int i = 1; i <= workers; i++) {
        cluster.startWorker("worker-" + i);
      }
      cluster.awaitWorkers(workers);
      return cluster;
    } catch (IOException | RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  private static List<String> jvmOptions(String... more) {
    List<String> options = new ArrayList<>(OPENS);
    options.addAll(List.of(more));
    return options;
  }

  private String masterUrl() {
    return "spark://127.0.0.1:" + masterPort;
  }

  private void startWorker(String name) throws IOException {
    workers.add(JvmProcess.start(dir, name, sparkClassPath, environment, jvmOptions("-Xmx256m"),
        "org.apache.spark.deploy.worker.Worker",
        List.of("--host", "127.0.0.1", "--cores", "" + CORES_PER_WORKER, "--memory", "1536m",
            "--work-dir", dir.resolve("work").resolve(name).toString(),
            "--webui-port", "" + JvmProcess.freePort(), masterUrl())));
  }

  private void awaitWorkers(int n) throws IOException {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
    while (masterPage.get("/json/").map(m -> m.path("aliveworkers").asInt()).orElse(0) < n) {
      if (Instant.now().isAfter(deadline) || !master.isAlive()) {
        throw new IOException("the Spark cluster did not come up; see the logs in "
            + dir.resolve("logs"));
      }
      JvmProcess.pause(Duration.ofMillis(500));
    }
  }

  @Override
  public String describe() {
    return String.format(Locale.ROOT, "Spark %s standalone cluster at %s: %d Workers x %d cores, "
        + "executors of %d cores, %d cores per job (logs in %s, executors' in %s)",
        SparkJars.VERSION, masterUrl(), workers.size(), CORES_PER_WORKER, CORES_PER_WORKER,
        parallelism, dir.resolve("logs"), dir.resolve("work"));
  }

  /**
   * Runs the study from a driver JVM of its own (client mode) and waits for its end; the
   * study, loaded here (and pointed at clinics running here), reaches it serialized, as it
   * reaches the executors.
   */
  @Override
  public StudyRun.Status run(Study study, Path output) throws IOException {
    String name = "driver-" + output.getFileName();
    Path studyFile = Files.createDirectories(dir.resolve("studies")).resolve(name + ".ser");
    try (OutputStream file = Files.newOutputStream(studyFile);
        ObjectOutputStream out = new ObjectOutputStream(file)) {
      out.writeObject(study);
    }
    int uiPort = JvmProcess.freePort();
    List<String> options = jvmOptions("-Xmx1536m",
        "-Dspark.ui.port=" + uiPort,
        "-Dspark.ui.showConsoleProgress=false",
        "-Dspark.driver.host=127.0.0.1",
        "-Dspark.driver.bindAddress=127.0.0.1",
        "-Dspark.executor.cores=" + CORES_PER_WORKER,
        "-Dspark.executor.memory=1g",
        "-Dspark.cores.max=" + parallelism,
        "-Dspark.default.parallelism=" + parallelism,
        "-Dspark.task.maxFailures=" + TASK_MAX_FAILURES,
        // The job jar before Spark's jars, as on the driver: shipped only, it would come after
        // them, and Spark's Guava 14 then breaks the jar's GCS file system (NoSuchMethodError
        // in the first task of every executor). The jar is at this path on every Worker here.
        "-Dspark.executor.extraClassPath=" + jobJar,
        "-Dspark.executor.extraJavaOptions=" + String.join(" ", OPENS));
    // The job jar is core's alone: the driver's own classes (SparkDriver, CheckRun: app's;
    // the reference date: demo's SyntheticStudy) come from their modules' jars, after it.
    String driverClassPath = String.join(java.io.File.pathSeparator, jobJar.toString(),
        JvmProcess.jarOf(SparkDriver.class), JvmProcess.jarOf(SyntheticStudy.class),
        sparkClassPath);
    JvmProcess driver = JvmProcess.start(dir, name, driverClassPath, environment, options,
        SparkDriver.class.getName(), List.of(studyFile.toString(),
            output.toAbsolutePath().toString(), "--runner=SparkRunner",
            "--sparkMaster=" + masterUrl(), "--filesToStage=" + jobJar));
    driverApi = new StatusPages("http://127.0.0.1:" + uiPort + "/api/v1/applications");
    try {
      int exit = driver.exitCode();
      return Arrays.stream(StudyRun.Status.values()).filter(s -> s.exitCode == exit)
          .findFirst().orElseThrow(() -> new IOException("the Spark driver exited " + exit
              + "; see " + dir.resolve("logs").resolve(name + ".log")));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while the Spark driver ran", e);
    } finally {
      driverApi = null;
      driver.stop();
    }
  }

  /**
   * An executor with tasks running just now (the driver's executor list), found among the
   * Workers' child processes by its {@code --executor-id}.
   */
  @Override
  public Optional<BusyProcess> busyProcess() {
    for (JsonNode executor : application("/executors").orElse(List.of())) {
      String id = executor.path("id").asText();
      if (!id.equals("driver") && executor.path("activeTasks").asInt() > 0) {
        for (JvmProcess worker : workers) {
          Optional<ProcessHandle> process = worker.handle().children()
              .filter(p -> isExecutor(p, id)).findFirst();
          if (process.isPresent()) {
            return Optional.of(new BusyProcess("executor " + id + " (of " + worker.name()
                + ")", process.get()));
          }
        }
      }
    }
    return Optional.empty();
  }

  private static boolean isExecutor(ProcessHandle process, String id) {
    List<String> args = Arrays.asList(process.info().arguments().orElse(new String[0]));
    int at = args.indexOf("--executor-id");
    return process.isAlive() && args.contains(EXECUTOR) && at >= 0 && at + 1 < args.size()
        && args.get(at + 1).equals(id);
  }

  @Override
  public String recovery() {
    List<JsonNode> all = application("/allexecutors").orElse(List.of());
    int lost = (int) all.stream().filter(e -> !e.path("isActive").asBoolean(true)).count();
    int failed = all.stream().mapToInt(e -> e.path("failedTasks").asInt()).sum();
    mostLostExecutors = Math.max(mostLostExecutors, lost);
    mostFailedTasks = Math.max(mostFailedTasks, failed);
    return String.format(Locale.ROOT, "%d executor(s) lost, %d task attempt(s) failed and "
        + "retried (spark.task.maxFailures %d)", mostLostExecutors, mostFailedTasks,
        TASK_MAX_FAILURES);
  }

  /** A list from the running driver's REST API about its one application; empty if none. */
  private Optional<List<JsonNode>> application(String path) {
    StatusPages api = driverApi;
    if (api == null) {
      return Optional.empty();
    }
    Optional<JsonNode> apps = api.get("");
    if (apps.isEmpty() || apps.get().size() == 0) {
      return Optional.empty();
    }
    String id = apps.get().get(0).path("id").asText();
    return api.get("/" + id + path).map(list -> {
      List<JsonNode> items = new ArrayList<>();
      list.forEach(items::add);
      return items;
    });
  }

  /**
   * Stops every process this cluster started, by its own handle (executors end with
   * their Worker).
   */
  @Override
  public void close() {
    List<JvmProcess> all = new ArrayList<>(workers);
    all.add(master);
    all.forEach(JvmProcess::stop);
  }
}
