package org.longitude.cli;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.longitude.pipeline.StudyRun;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/** Runner selection shared by the commands that run a study; other Beam options pass through. */
final class PipelineArgs {
  @Option(names = "--runner", defaultValue = "DirectRunner",
      description = "Beam runner: DirectRunner (default, local) or FlinkRunner.")
  String runner;

  @Unmatched
  List<String> beamArgs = new ArrayList<>();

  PipelineOptions options() {
    List<String> args = new ArrayList<>(beamArgs);
    args.add("--runner=" + runner);
    PipelineOptions options = PipelineOptionsFactory.fromArgs(args.toArray(String[]::new))
        .withValidation().create();
    if (runner.equals("DirectRunner")) {
      StudyRun.tuneForProduction(options);
    }
    return options;
  }
}
