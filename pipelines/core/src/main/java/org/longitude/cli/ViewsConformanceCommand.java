package org.longitude.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.longitude.views.ConformanceSuite;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code longitude views-conformance <folder>}: runs SQL on FHIR v2 test files (the
 * specification's {@code tests/} folder, or any folder in that format) through Longitude's
 * view engine and prints the pass counts per file.
 */
@Command(name = "views-conformance", mixinStandardHelpOptions = true,
    description = {"Run SQL on FHIR v2 test files (the format of the specification's tests/ "
        + "folder) through Longitude's ViewDefinition engine and print, per file, the tests "
        + "passed: required ones, and optional (tagged experimental) ones apart."},
    footer = {"", "Example: git clone https://github.com/FHIR/sql-on-fhir-v2 && "
        + "longitude views-conformance sql-on-fhir-v2/tests",
        "Exit codes: 0 every required test passed, 1 some failed, 3 no such folder."})
final class ViewsConformanceCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "FOLDER", description = "Folder of *.json test files.")
  Path folder;

  @Option(names = "--failures", description = "Also print each failed test and why.")
  boolean failures;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (!Files.isDirectory(folder)) {
      spec.commandLine().getErr().println("longitude: " + folder + " is not a folder");
      return 3;
    }
    List<ConformanceSuite.FileResult> results = ConformanceSuite.run(folder);
    long passed = 0;
    long total = 0;
    out.printf("%-28s %10s %10s%n", "file", "required", "optional");
    for (ConformanceSuite.FileResult file : results) {
      out.printf("%-28s %10s %10s%n", file.file(), file.passed(false) + "/" + file.total(false),
          file.passed(true) + "/" + file.total(true));
      passed += file.passed(false);
      total += file.total(false);
      if (failures) {
        file.tests().stream().filter(t -> !t.passed()).forEach(t ->
            out.println("    failed: " + t.title() + ": " + t.failure()));
      }
    }
    long optional = results.stream().mapToLong(f -> f.passed(true)).sum();
    long optionalTotal = results.stream().mapToLong(f -> f.total(true)).sum();
    out.printf("%-28s %10s %10s%n", "all", passed + "/" + total, optional + "/" + optionalTotal);
    out.flush();
    return passed == total ? 0 : 1;
  }
}
