package org.longitude.cli;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import org.longitude.common.Phases;
import org.longitude.config.ConfigException;
import org.longitude.config.Location;
import org.longitude.config.Study;
import org.longitude.config.StudyKey;
import org.longitude.pipeline.InputSize;
import org.longitude.pipeline.PullMode;
import org.longitude.operate.StudyRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code longitude run --study F}: runs a study described by a YAML file. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run a study: pull every clinic, de-identify, normalize, compute cohorts.",
    footer = {"", "Exit codes: 0 success, 1 failed (or another run holds the output's lock), "
        + "2 partial (a clinic failed), 3 bad config.",
        "The study key comes from the environment or a key file named in the config, never "
            + "from the command line."})
final class RunCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Mixin
  StudyOutputArgs target;

  @Mixin
  PipelineArgs pipeline;

  @Mixin
  HistoryArgs history;

  @Mixin
  SharedOutputArgs shared;

  @Option(names = "--full", description = "Pull everything from every clinic, even where a "
      + "high-water mark from an earlier run exists (default: incremental where one exists).")
  boolean full;

  @Option(names = "--from-landing", paramLabel = "RUN_ID", description = "Pull nothing: re-run "
      + "de-identification, normalization and cohorts from that run's landed NDJSON; the "
      + "research rows keep that run's id.")
  String fromLanding;

  @Override
  public Integer call() throws Exception {
    PipelineArgs.prepare();
    Study study = target.study();
    Location location = Location.file(target.studyFile);
    StudyKey key = target.key(study);
    Path out = target.outputFor(study);
    StudyRun.checkOutput(study, out); // before the run lock or manifest is written there
    if (full && fromLanding != null) {
      throw new ConfigException("give --full or --from-landing, not both");
    }
    PullMode mode = fromLanding != null ? PullMode.fromLanding(fromLanding)
        : full ? PullMode.full() : PullMode.incremental();
    OptionalLong inputBytes = InputSize.of(study, out, mode);
    if (QuickStart.relaunch(inputBytes)) {
      return QuickStart.RELAUNCH_OPTIMIZED; // before the lock, the manifest or any output
    }
    Phases.mark("config_loaded");
    try (AutoCloseable flink = pipeline.startEmbeddedFlink(inputBytes)) {
      var options = pipeline.options(inputBytes);
      Phases.mark("options_parsed");
      StudyRun.Result result = history.managed(study, location, key, out, spec)
          .withSharedOutput(shared.checked(study, options))
          .run(options, LocalDate.now(ZoneOffset.UTC), mode);
      return RunReport.print(result, spec.commandLine().getOut());
    }
  }
}
