package org.longitude.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import org.longitude.operate.ResearchQuery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code longitude query --study F "SQL"}: SQL over the published research tables. */
@Command(name = "query", mixinStandardHelpOptions = true,
    description = {"Query the published research tables with SQL in an embedded DuckDB. Each "
        + "table is a view under its name over research/<table>/*.parquet; nothing else on "
        + "disk (in particular restricted/) can be read.",
        "With no SQL, reads statements (ended by ';') from standard input; '.tables' lists the "
            + "tables, '.quit' or end of input leaves."},
    footer = {"", "Example: longitude query --study study.yaml "
        + "\"SELECT measure, count(*) AS n FROM observations GROUP BY measure ORDER BY 1\"",
        "Exit codes: 0 success, 1 a query or the tables failed, 3 bad configuration."})
final class QueryCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Mixin
  StudyOutputArgs study;

  @Option(names = "--format", defaultValue = "table",
      description = "table (aligned), csv or json (default: ${DEFAULT-VALUE}).")
  String format;

  @Parameters(arity = "0..1", paramLabel = "SQL", description = "The SQL statement to run.")
  String sql;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ResearchQuery.Format fmt;
    try {
      fmt = ResearchQuery.Format.valueOf(format.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      err.println("longitude: --format must be table, csv or json (got '" + format + "')");
      return 3;
    }
    try (ResearchQuery query = ResearchQuery.open(study.output())) {
      if (sql != null) {
        ResearchQuery.print(query.execute(sql), fmt, out);
        return 0;
      }
      return prompt(query, fmt, out, err);
    } catch (SQLException e) {
      err.println("longitude: query failed: " + e.getMessage());
      err.flush();
      return 1;
    }
  }

  private int prompt(ResearchQuery query, ResearchQuery.Format fmt, PrintWriter out,
      PrintWriter err) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in,
        StandardCharsets.UTF_8));
    out.println("research tables of " + query.research() + ": "
        + String.join(", ", query.tables()));
    out.println("end statements with ';'; .tables lists tables; .quit leaves");
    StringBuilder statement = new StringBuilder();
    int failures = 0;
    while (true) {
      out.print(statement.length() == 0 ? "longitude> " : "      ...> ");
      out.flush();
      String line = in.readLine();
      if (line == null) {
        break;
      }
      String trimmed = line.strip();
      if (statement.length() == 0 && (trimmed.equals(".quit") || trimmed.equals(".exit")
          || trimmed.equals("\\q"))) {
        break;
      }
      if (statement.length() == 0 && trimmed.equals(".tables")) {
        query.tables().forEach(out::println);
        continue;
      }
      statement.append(line).append('\n');
      if (trimmed.endsWith(";")) {
        try {
          ResearchQuery.print(query.execute(statement.toString()), fmt, out);
        } catch (SQLException e) {
          failures++;
          err.println("error: " + e.getMessage());
          err.flush();
        }
        statement.setLength(0);
      }
    }
    out.println();
    out.flush();
    return failures == 0 ? 0 : 1;
  }
}
