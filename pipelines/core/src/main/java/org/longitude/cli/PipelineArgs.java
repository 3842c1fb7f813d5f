package org.longitude.cli;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.longitude.operate.StudyRun;
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
    List<String> args = new ArrayList<>(command.commandLine().getUnmatchedArguments());
    args.add("--runner=" + runner);
    if (flinkMaster != null) {
      args.add("--flinkMaster=" + flinkMaster);
    }
    if (parallelism != null) {
      args.add("--parallelism=" + parallelism);
    }
    PipelineOptions options = PipelineOptionsFactory.fromArgs(args.toArray(String[]::new))
        .withValidation().create();
    PipelineRun.tuneForProduction(options);
    return options;
  }
}
