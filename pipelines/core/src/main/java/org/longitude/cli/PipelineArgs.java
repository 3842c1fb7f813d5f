package org.longitude.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.longitude.operate.StudyRun;
import org.longitude.pipeline.EmbeddedFlink;
import org.longitude.pipeline.PipelineRun;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runner selection shared by the commands that run a study; other Beam options pass through. */
final class PipelineArgs {
  @Option(names = "--runner", defaultValue = "FlinkRunner",
      description = "Beam runner: FlinkRunner (default; Flink's embedded cluster unless "
          + "--flinkMaster=HOST:PORT, parallelism = cores) or DirectRunner. Locally Flink is "
          + "the fastest: the DirectRunner slows down more than linearly with the data.")
  String runner;

  @Option(names = "--flink-master", paramLabel = "HOST:PORT",
      description = "A Flink cluster's JobManager; without it FlinkRunner starts an embedded "
          + "local cluster.")
  String flinkMaster;

  @Option(names = "--parallelism", description = "Workers' parallelism for FlinkRunner "
      + "(default: the cluster's, or the local cores).")
  Integer parallelism;

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  /**
   * Starts building Beam's registry of options interfaces on another thread, so that it is
   * ready (or nearly) when {@link #options()} needs it: Beam checks every registered interface
   * against all the others when its options factory is first used (~1.5 s of one core at
   * start-up), and that need not wait for the study's config to be read first. The JVM's class
   * initialization makes {@link #options()} wait for it if it has not finished.
   */
  static void prepare() {
    Thread registry = new Thread(PipelineOptionsFactory::getRegisteredOptions,
        "longitude-options-registry");
    registry.setDaemon(true);
    registry.start();
  }

  /** Other {@code --name=value} options go to Beam, which rejects unknown ones by name. */
  PipelineOptions options() {
    return options(OptionalLong.empty());
  }

  /**
   * As {@link #options()}, for a study of {@code inputBytes} (empty: not known before the
   * pull). A study known to be small ({@link QuickStart#small}) runs on Flink's embedded cluster
   * with one slot unless {@code --parallelism} says otherwise: each of the job's ~75 operators
   * costs a fixed time per parallel instance to deploy and start, and its chains already run
   * side by side on every core. On 2 cores one slot was the faster at every size measured, from
   * 2,000 to 150,000 resources and the demo (README, "Start-up").
   */
  PipelineOptions options(OptionalLong inputBytes) {
    List<String> args = arguments();
    Integer slots = embeddedSlots(args, inputBytes);
    if (parallelism == null && slots != null) {
      args.add("--parallelism=" + slots); // the job fills the cluster's slots, no more
    }
    PipelineOptions options = PipelineOptionsFactory.fromArgs(args.toArray(String[]::new))
        .withValidation().create();
    PipelineRun.tuneForProduction(options);
    return options;
  }

  /**
   * Starts Flink's embedded cluster now, on another thread, if these arguments run the study
   * there ({@link EmbeddedFlink}); otherwise does nothing. Closing it shuts down a cluster that
   * no job used. A Flink configuration directory ({@code FLINK_CONF_DIR} or
   * {@code --flinkConfDir}) leaves the cluster to Beam's runner, which reads it.
   */
  AutoCloseable startEmbeddedFlink(OptionalLong inputBytes) {
    List<String> args = arguments();
    Integer slots = embeddedSlots(args, inputBytes);
    boolean configured = System.getenv("FLINK_CONF_DIR") != null
        || args.stream().anyMatch(arg -> arg.startsWith("--flinkConfDir"));
    return slots == null || configured ? () -> { } : EmbeddedFlink.start(slots);
  }

  private List<String> arguments() {
    List<String> args = new ArrayList<>(command.commandLine().getUnmatchedArguments());
    args.add("--runner=" + runner);
    if (flinkMaster != null) {
      args.add("--flinkMaster=" + flinkMaster);
    }
    if (parallelism != null) {
      args.add("--parallelism=" + parallelism);
    }
    return args;
  }

  /**
   * The embedded cluster's slots ({@code --parallelism}, else one for a small study, else the
   * cores, as Flink's own default), or null when the study does not run on it (another runner,
   * or a cluster named).
   */
  private Integer embeddedSlots(List<String> args, OptionalLong inputBytes) {
    boolean embedded = args.contains("--runner=FlinkRunner")
        && args.stream().noneMatch(arg -> arg.startsWith("--flinkMaster"));
    if (!embedded) {
      return null;
    }
    if (parallelism != null) {
      return parallelism;
    }
    return QuickStart.small(inputBytes) ? 1 : Runtime.getRuntime().availableProcessors();
  }
}
