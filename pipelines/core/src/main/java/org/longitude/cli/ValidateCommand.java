package org.longitude.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.longitude.operate.StudyCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code longitude validate --study F}: pre-flight checks, every problem with its fix. */
@Command(name = "validate", mixinStandardHelpOptions = true,
    description = "Check a study before running it: the config and every file it names "
        + "(mappings, measures, rules, schedule), the study key, and each clinic "
        + "(GET [base]/metadata for fhir-search; the folder for ndjson). Each problem is "
        + "reported with the file, the key and the fix.",
    footer = {"", "Exit codes: 0 all checks pass, 1 a clinic cannot be reached, "
        + "3 bad configuration or key."})
final class ValidateCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--study", required = true, description = "The study YAML file.")
  Path studyFile;

  @Option(names = "--timeout", defaultValue = "10",
      description = "Seconds to wait for each clinic (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    List<StudyCheck.Finding> findings = new StudyCheck(Duration.ofSeconds(timeoutSeconds))
        .check(studyFile, System.getenv());
    int exit = 0;
    for (StudyCheck.Finding f : findings) {
      out.println((f.ok() ? "ok       " : "PROBLEM  ") + f.message());
      if (!f.ok()) {
        if (f.file() != null) {
          out.println("         file: " + f.file() + (f.key() == null ? "" : ", key: " + f.key()));
        }
        if (f.fix() != null) {
          out.println("         fix:  " + f.fix());
        }
        exit = Math.max(exit, f.kind() == StudyCheck.Kind.CONFIG ? 3 : 1);
      }
    }
    long problems = findings.stream().filter(f -> !f.ok()).count();
    out.println(problems == 0 ? "all checks passed" : problems + " problem(s)");
    out.flush();
    return exit;
  }
}
