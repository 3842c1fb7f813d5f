package org.longitude.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.Callable;
import org.longitude.config.ConfigException;
import org.longitude.config.Location;
import org.longitude.config.Study;
import org.longitude.config.StudyKey;
import org.longitude.operate.CronSchedule;
import org.longitude.operate.OsSchedule;
import org.longitude.operate.RunLock;
import org.longitude.operate.Scheduler;
import org.longitude.operate.StudyRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code longitude schedule --study F}: runs the study on its cron schedule. */
@Command(name = "schedule", mixinStandardHelpOptions = true,
    description = {"Run the study on the cron expression in its config "
        + "(schedule: {cron: \"0 2 * * 1\", time_zone: UTC}; standard 5-field syntax), in the "
        + "foreground until stopped, one run at a time, logging each run. A run that overruns "
        + "its next time makes that time be skipped, not run late; another process's run on "
        + "the same output is never overlapped (the output's lock).",
        "--print-crontab and --print-systemd print the equivalent OS scheduler entries "
            + "instead."},
    footer = {"", "Exit code: that of the last run (0 success, 1 failed or locked, 2 partial), "
        + "3 bad configuration."})
final class ScheduleCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Mixin
  StudyOutputArgs target;

  @Option(names = "--max-runs", defaultValue = "0",
      description = "Stop after this many runs (default: 0, run until stopped).")
  int maxRuns;

  @Option(names = "--print-crontab", description = "Print a crontab entry and exit.")
  boolean printCrontab;

  @Option(names = "--print-systemd", description = "Print systemd service and timer units "
      + "and exit.")
  boolean printSystemd;

  @Mixin
  PipelineArgs pipeline;

  @Mixin
  HistoryArgs history;

  @Mixin
  SharedOutputArgs shared;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Study study = target.study();
    if (study.schedule() == null) {
      throw new ConfigException(study.source() + ": 'schedule' is missing; add e.g. "
          + "schedule: {cron: \"0 2 * * 1\", time_zone: UTC} (Mondays at 02:00 UTC)");
    }
    CronSchedule cron = CronSchedule.of(study.schedule().cron(),
        ZoneId.of(study.schedule().timeZoneOrDefault()));
    Path out0 = target.outputFor(study).toAbsolutePath()
        .normalize();
    if (printCrontab || printSystemd) {
      String command = runCommand(out0);
      out.print(printCrontab
          ? OsSchedule.crontab(cron, command, out0.resolve("schedule.log").toString())
          : OsSchedule.systemd(cron, "longitude-" + study.id(), command,
              Path.of("").toAbsolutePath().toString()));
      out.flush();
      return 0;
    }
    StudyRun.checkOutput(study, out0); // as run does: refused now, not at the first run
    var options = pipeline.options(); // bad runner options fail before the first wait
    shared.checked(study, options);
    Scheduler scheduler = new Scheduler(cron, message -> log(out, message));
    log(out, "schedule: study " + study.id() + " on " + cron + ", output " + out0);
    return scheduler.run(() -> runOnce(out0, options, out), maxRuns);
  }

  private int runOnce(Path out0, org.apache.beam.sdk.options.PipelineOptions options,
      PrintWriter out) throws Exception {
    // Re-read the config each time: edits between runs take effect (and change the hash).
    Study study = target.study();
    Location location = Location.file(target.studyFile);
    StudyKey key = target.key(study);
    try {
      StudyRun.Result result = history.managed(study, location, key, out0, spec)
          .withSharedOutput(shared.checked(study, options))
          .run(options, LocalDate.now(ZoneOffset.UTC));
      log(out, "run " + result.layout().runId() + ": " + result.status() + " in "
          + result.elapsed().toSeconds() + " s; clinics failed: "
          + (result.summary().failedClinics().isEmpty() ? "none"
              : String.join(", ", result.summary().failedClinics())));
      return result.status().exitCode;
    } catch (RunLock.HeldException e) {
      log(out, "skipped: " + e.getMessage());
      return StudyRun.Status.FAILED.exitCode;
    }
  }

  private String runCommand(Path out0) {
    String javaBin = ProcessHandle.current().info().command().orElse("java");
    String classpath = java.util.Arrays.stream(System.getProperty("java.class.path")
        .split(java.io.File.pathSeparator))
        .map(p -> Path.of(p).toAbsolutePath().normalize().toString())
        .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    return javaBin + " -cp " + classpath
        + " org.longitude.cli.Longitude run --study "
        + target.studyFile.toAbsolutePath().normalize()
        + " --output " + out0 + " --keep-runs " + history.keepRuns
        + (shared.url == null ? "" : " --shared-output " + shared.url);
  }

  private static void log(PrintWriter out, String message) {
    out.println(Instant.now().toString().replaceFirst("\\.\\d+Z$", "Z") + " " + message);
    out.flush();
  }
}
