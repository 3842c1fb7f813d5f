package org.longitude.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import org.longitude.operate.RunHistory;
import org.longitude.operate.RunManifest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code longitude runs --study F}: the run history, from the manifests. */
@Command(name = "runs", mixinStandardHelpOptions = true,
    description = "List the study's runs (oldest first) from runs/<run>/manifest.json: status, "
        + "start, duration, clinics, files. '*' marks the run research/ points at.")
final class RunsCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Mixin
  StudyOutputArgs study;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    RunHistory history = new RunHistory(study.output());
    List<RunManifest> runs = history.manifests();
    if (runs.isEmpty()) {
      out.println("no runs in " + history.runsDir());
      out.flush();
      return 0;
    }
    String published = history.publishedRunId().orElse("");
    out.printf("  %-22s %-11s %4s  %-20s %9s  %-14s %6s%n", "run", "status", "exit", "started",
        "duration", "clinics ok", "files");
    for (RunManifest m : runs) {
      long ok = m.clinics() == null ? 0
          : m.clinics().stream().filter(c -> "ok".equals(c.status())).count();
      out.printf("%s %-22s %-11s %4s  %-20s %9s  %-14s %6s%n",
          m.runId().equals(published) ? "*" : " ", m.runId(), m.status(),
          m.exitCode() == null ? "-" : m.exitCode(), shortTime(m.started()),
          duration(m.started(), m.ended()),
          m.clinics() == null ? "-" : ok + "/" + m.clinics().size(),
          m.files() == null ? "-" : m.files().size());
    }
    out.flush();
    return 0;
  }

  static String shortTime(String instant) {
    return instant == null ? "-" : instant.replaceFirst("\\.\\d+Z$", "Z");
  }

  static String duration(String started, String ended) {
    if (started == null || ended == null) {
      return "-";
    }
    long s = Duration.between(Instant.parse(started), Instant.parse(ended)).toSeconds();
    return s >= 3600 ? String.format("%dh%02dm", s / 3600, s / 60 % 60)
        : String.format("%dm%02ds", s / 60, s % 60);
  }
}
