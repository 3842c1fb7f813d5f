package org.longitude.cli;

import java.io.PrintWriter;
import org.longitude.operate.StudyRun;

/** Prints what a run did and where its outputs are. */
final class RunReport {
  private RunReport() {}

  static int print(StudyRun.Result result, PrintWriter out) {
    out.println();
    out.print(result.summary().render()); // small cells withheld: output may end up in logs
    out.println();
    out.printf("status:     %s (exit code %d) in %.1f s%n", result.status(),
        result.status().exitCode, result.elapsed().toMillis() / 1000.0);
    if (result.layout().isShared()) {
      var data = result.layout().data();
      out.println("research:   " + data.research() + "/<table>/*.parquet (and *.avro); "
          + "published run in " + data.latest());
      out.println("restricted: " + data.landings().replaceAll("/landing$", "")
          + " (PHI: landing, quarantine; access is the storage's policy); "
          + result.layout().restricted() + " (exact counts: summary)");
    } else {
      out.println("research:   " + result.layout().research()
          + "/<table>/*.parquet (and *.avro)");
      out.println("restricted: " + result.layout().restricted()
          + " (PHI: landing, quarantine; exact counts: summary)");
    }
    out.println("report:     " + result.layout().output().resolve("report/index.html"));
    out.println("summary:    " + result.layout().runDir().resolve("summary.txt")
        + " (small cells suppressed; exact counts: "
        + result.layout().restrictedSummary().resolve("summary.txt") + ")");
    out.flush();
    return result.status().exitCode;
  }
}
