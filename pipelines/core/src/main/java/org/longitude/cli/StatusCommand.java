package org.longitude.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.longitude.config.Study;
import org.longitude.extract.PullState;
import org.longitude.operate.CronSchedule;
import org.longitude.operate.RunHistory;
import org.longitude.operate.RunLock;
import org.longitude.operate.RunManifest;
import org.longitude.release.SummaryTables;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code longitude status --study F}: the last run, per clinic, and what comes next. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Show the study's last run (per clinic), the published run, whether a run "
        + "is in progress, and what the next run will pull from and when.")
final class StatusCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Mixin
  StudyOutputArgs args;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Study study = args.study();
    Path output = args.output();
    RunHistory history = new RunHistory(output);
    out.println("study:      " + study.id() + " (" + study.source() + ")");
    out.println("output:     " + output.toAbsolutePath().normalize());
    out.println("published:  " + history.publishedRunId().orElse("(nothing published yet)"));
    Optional<RunLock.Holder> holder = RunLock.peek(output.toAbsolutePath().normalize());
    out.println("running:    " + holder.map(RunLock::describeHolder).orElse("no"));
    Optional<RunManifest> last = history.last();
    if (last.isEmpty()) {
      out.println("last run:   none");
    } else {
      RunManifest m = last.get();
      out.println("last run:   " + m.runId() + " " + m.status()
          + (m.exitCode() == null ? "" : " (exit code " + m.exitCode() + ")")
          + ", started " + RunsCommand.shortTime(m.started()) + ", took "
          + RunsCommand.duration(m.started(), m.ended()));
      if (m.clinics() != null) {
        for (RunManifest.ClinicStatus c : m.clinics()) {
          out.printf("  %-10s %-7s read %10s  written %10s  filtered %10s  quarantined %10s%n",
              c.id(), c.status(), SummaryTables.text(c.read()), SummaryTables.text(c.written()),
              SummaryTables.text(c.filtered()), SummaryTables.text(c.quarantined()));
        }
      }
    }
    out.println("next run pulls from:");
    PullState state = PullState.read(output.toAbsolutePath().normalize().resolve("restricted"));
    for (Study.Clinic c : study.clinics()) {
      PullState.ClinicState mark = state.clinics().get(c.id());
      String since = lastCompletePull(history, c.id());
      out.printf("  %-10s %s %s: %s%n", c.id(),
          c.source().kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
          c.source().baseUrl() != null ? c.source().baseUrl() : c.source().directory(),
          mark != null ? "changes after " + mark.highWaterMark() + " (server time; incremental, "
              + "merged with " + mark.landings().size() + " earlier landing(s); --full for all)"
              : "everything (full pull)" + (since == null ? "" : "; last complete pull " + since));
    }
    if (study.schedule() == null) {
      out.println("schedule:   none (add schedule: {cron: \"0 2 * * 1\", time_zone: UTC})");
    } else {
      ZoneId zone = ZoneId.of(study.schedule().timeZoneOrDefault());
      CronSchedule cron = CronSchedule.of(study.schedule().cron(), zone);
      out.println("schedule:   " + cron + "; next due "
          + cron.next(ZonedDateTime.now(zone)).map(Object::toString).orElse("never")
          + " (when 'longitude schedule' runs)");
    }
    out.flush();
    return 0;
  }

  private static String lastCompletePull(RunHistory history, String clinic) throws Exception {
    String mark = null;
    for (RunManifest m : history.manifests()) {
      if (m.clinics() != null) {
        for (RunManifest.ClinicStatus c : m.clinics()) {
          if (c.id().equals(clinic) && c.highWaterMark() != null) {
            mark = c.highWaterMark();
          }
        }
      }
    }
    return mark == null ? null : RunsCommand.shortTime(mark);
  }
}
