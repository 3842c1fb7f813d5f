package org.longitude.cli;

import java.nio.file.Path;
import org.longitude.config.Location;
import org.longitude.config.Study;
import org.longitude.config.StudyKey;
import org.longitude.operate.ManagedRun;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** Run history options shared by the commands that run a study. */
final class HistoryArgs {
  @Option(names = "--keep-runs", defaultValue = "" + ManagedRun.DEFAULT_KEEP_RUNS,
      description = "Run folders (runs/<run>/) to keep; older ones are pruned after a run, "
          + "never the published one (default: ${DEFAULT-VALUE}).")
  int keepRuns;

  /** A locked, manifested run whose notices go to the command's error stream. */
  ManagedRun managed(Study study, Location config, StudyKey key, Path output, CommandSpec spec) {
    var err = spec.commandLine().getErr();
    return ManagedRun.of(study, config, key, output, keepRuns, message -> {
      err.println("longitude: " + message);
      err.flush();
    });
  }
}
