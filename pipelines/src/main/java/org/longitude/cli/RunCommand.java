package org.longitude.cli;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.Callable;
import org.longitude.config.Location;
import org.longitude.config.Study;
import org.longitude.config.StudyKey;
import org.longitude.pipeline.StudyRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

  @Override
  public Integer call() throws Exception {
    Study study = target.study();
    Location location = Location.file(target.studyFile);
    StudyKey key = StudyKey.resolve(study.deid(),
        target.studyFile.toAbsolutePath().getParent(),
        System.getenv());
    Path out = target.outputFor(study);
    StudyRun.checkOutput(study, out); // before the run lock or manifest is written there
    StudyRun.Result result = history.managed(study, location, key, out, spec)
        .run(pipeline.options(), LocalDate.now(ZoneOffset.UTC));
    return RunReport.print(result, spec.commandLine().getOut());
  }
}
