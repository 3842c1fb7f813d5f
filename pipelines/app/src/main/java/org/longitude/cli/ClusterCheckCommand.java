package org.longitude.cli;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.longitude.cluster.ClusterCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code longitude cluster-check flink|spark}: a real cluster on this machine, runs compared. */
@Command(name = "cluster-check", mixinStandardHelpOptions = true,
    description = "Start a cluster as separate JVMs on 127.0.0.1: a Flink 1.19 session "
        + "cluster (one JobManager, several TaskManagers, from Longitude's own jars) or a Spark "
        + "3.5 standalone cluster (one Master, several Workers, from Spark's jars, which Maven "
        + "resolves on first use; the job jar from mvn -Pspark-jar package). Run the demo study "
        + "on it and on the DirectRunner and compare every research table row for row, the "
        + "exact accounting and the quarantine; then, with --observations, run a study of one "
        + "NDJSON clinic that large on the cluster twice, killing (kill -9) a worker (Flink "
        + "TaskManager, Spark executor) that holds tasks during the second, and compare those. "
        + "Stops the processes it started. Exit code 0 when every comparison is equal, 1 "
        + "otherwise.")
final class ClusterCheckCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "flink|spark", description = "The cluster.")
  String cluster;

  @Option(names = {"--workers", "--task-managers"},
      description = "Flink TaskManagers of 2 slots (default 3) or Spark Workers of 2 cores "
          + "(default 2).")
  Integer workers;

  @Option(names = "--parallelism", defaultValue = "4",
      description = "The runs' parallelism (Spark: cores per job; default: ${DEFAULT-VALUE}).")
  int parallelism;

  @Option(names = "--participants", defaultValue = "60",
      description = "Participants per demo clinic (default: ${DEFAULT-VALUE}).")
  int participants;

  @Option(names = "--observations", defaultValue = "0",
      description = "Observations of the study run twice, once losing a worker "
          + "(e.g. 500000; default: ${DEFAULT-VALUE}, no such run).")
  long observations;

  @Option(names = "--output", description = "Folder for the cluster's files and the runs "
      + "(default: out/cluster-check/<time>).")
  Path output;

  @Override
  public Integer call() throws Exception {
    ClusterCheck.Kind kind = switch (cluster.toLowerCase(Locale.ROOT)) {
      case "flink" -> ClusterCheck.Kind.FLINK;
      case "spark" -> ClusterCheck.Kind.SPARK;
      default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "the cluster is flink or spark (got '" + cluster + "')");
    };
    int n = workers != null ? workers : kind == ClusterCheck.Kind.FLINK ? 3 : 2;
    // A lost TaskManager's slots are gone until the job ends; a Spark Worker starts a new
    // executor in place of a killed one, so Spark needs no spare.
    int needed = kind == ClusterCheck.Kind.FLINK && observations > 0 ? parallelism / 2 + 1
        : (parallelism + 1) / 2;
    if (n < needed) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--workers must "
          + "give the parallelism's slots" + (observations > 0 ? " when one is lost" : "")
          + ": at least " + needed);
    }
    Path dir = output != null ? output : Path.of("out", "cluster-check",
        LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    boolean equal = new ClusterCheck(dir, n, parallelism, spec.commandLine().getOut())
        .run(kind, participants, observations);
    return equal ? 0 : 1;
  }
}
