package org.longitude.cli;

import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import org.longitude.common.Phases;
import org.longitude.config.Source;
import org.longitude.config.Study;
import org.longitude.config.StudyKey;
import org.longitude.config.StudyLoader;
import org.longitude.demo.ClinicProfile;
import org.longitude.demo.DemoClinics;
import org.longitude.demo.DemoStudy;
import org.longitude.demo.SyntheticStudy;
import org.longitude.operate.StudyRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code longitude demo}: synthetic clinics in-process, the full pipeline against them. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Start the synthetic demo clinics (real FHIR servers on 127.0.0.1), run the "
        + "whole pipeline against them over HTTP, and print where the outputs are.")
final class DemoCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--output", defaultValue = "out/demo",
      description = "Output folder (default: ${DEFAULT-VALUE}).")
  Path output;

  @Mixin
  SyntheticOptions synthetic;

  @Mixin
  PipelineArgs pipeline;

  @Mixin
  HistoryArgs history;

  @Mixin
  SharedOutputArgs shared;

  @Override
  public Integer call() throws Exception {
    var out = spec.commandLine().getOut();
    OptionalLong inputBytes = QuickStart.demoBytes(synthetic.participants,
        ClinicProfile.values().length);
    if (QuickStart.relaunch(inputBytes)) {
      return QuickStart.RELAUNCH_OPTIMIZED;
    }
    Phases.mark("command_parsed");
    var options = pipeline.options(inputBytes); // bad runner options fail before anything starts
    Phases.mark("options_parsed");
    try (AutoCloseable flink = pipeline.startEmbeddedFlink(inputBytes);
        DemoClinics clinics = synthetic.startDemoClinics()) {
      Phases.mark("clinics_started");
      // Beside the output folder, never inside it: a run refuses an output within its input.
      Path exports = output.toAbsolutePath().normalize()
          .resolveSibling(output.getFileName() + "-clinic-exports");
      Study study = DemoStudy.pointAt(
          StudyOutputArgs.checked(StudyLoader.load(StudyLoader.DEMO)), clinics, exports);
      for (Study.Clinic c : study.clinics()) {
        out.println("demo clinic " + c.id() + " (" + c.source().kind().name().toLowerCase()
            .replace('_', '-') + ") at " + (c.source().kind() == Source.Kind.NDJSON
                ? c.source().directory() : c.source().baseUrl()));
      }
      out.println("study key: an ephemeral random key (demo only; pseudonyms change per run)");
      out.flush();
      Phases.mark("demo_study_ready");
      StudyRun.Result result = history.managed(study, StudyLoader.DEMO, StudyKey.ephemeral(),
          output, spec).withSharedOutput(shared.checked(study, options))
          .run(options, SyntheticStudy.REFERENCE_DATE);
      return RunReport.print(result, out);
    }
  }
}
