package org.longitude.cli;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import org.longitude.cluster.ClusterCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code longitude cluster-check flink}: a real cluster on this machine, runs compared. */
@Command(name = "cluster-check", mixinStandardHelpOptions = true,
    description = "Start a Flink 1.19 session cluster as separate JVMs on 127.0.0.1 (one "
        + "JobManager, several TaskManagers, from Longitude's own jars), run the demo study on "
        + "it and on the DirectRunner and compare every research table row for row, the exact "
        + "accounting and the quarantine; then, with --observations, run a study of one NDJSON "
        + "clinic that large on the cluster twice, killing (kill -9) a TaskManager that holds "
        + "tasks during the second, and compare those. Stops the processes it started. Exit "
        + "code 0 when every comparison is equal, 1 otherwise.")
final class ClusterCheckCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "flink", description = "The cluster: flink.")
  String cluster;

  @Option(names = "--task-managers", defaultValue = "3",
      description = "TaskManagers of 2 slots each (default: ${DEFAULT-VALUE}).")
  int taskManagers;

  @Option(names = "--parallelism", defaultValue = "4",
      description = "The runs' parallelism (default: ${DEFAULT-VALUE}).")
  int parallelism;

  @Option(names = "--participants", defaultValue = "60",
      description = "Participants per demo clinic (default: ${DEFAULT-VALUE}).")
  int participants;

  @Option(names = "--observations", defaultValue = "0",
      description = "Observations of the study run twice, once losing a TaskManager "
          + "(e.g. 500000; default: ${DEFAULT-VALUE}, no such run).")
  long observations;

  @Option(names = "--output", description = "Folder for the cluster's files and the runs "
      + "(default: out/cluster-check/<time>).")
  Path output;

  @Override
  public Integer call() throws Exception {
    if (!cluster.equals("flink")) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "only a Flink cluster can be checked (got '" + cluster + "')");
    }
    if (taskManagers * 2 < parallelism + 2 && observations > 0) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--task-managers "
          + "must leave the parallelism's slots when one is lost: at least "
          + (parallelism / 2 + 1));
    }
    Path dir = output != null ? output : Path.of("out", "cluster-check",
        LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    boolean equal = new ClusterCheck(dir, taskManagers, parallelism,
        spec.commandLine().getOut()).flink(participants, observations);
    return equal ? 0 : 1;
  }
}
