package org.longitude.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.longitude.common.Schemas;

/**
 * Reads one run's research tables (Parquet) with an in-memory DuckDB. A table that a run did
 * not write reads as empty. Nullable counts stay {@code null}: a suppressed cell is not 0.
 */
final class ResearchTables implements AutoCloseable {
  /** A Kaplan–Meier step: one day with an event or a censoring. */
  record Survival(String condition, String measure, String stratum, int day, Long atRisk,
      Long events, Long censored, double survival, Double ciLower, Double ciUpper,
      boolean suppressed) {}

  record Landmark(String condition, String measure, String stratum, int months, int day,
      Long relapseFree, Long evaluable, Long lost, Double km, Double ciLower, Double ciUpper,
      boolean suppressed) {}

  record CourseOutcome(String condition, String measure, String metric, Long numerator,
      Long denominator, Double rate, Double ciLower, Double ciUpper, boolean suppressed) {}

  record Attrition(String condition, int stepOrder, String step, Long participants,
      Long excluded, String reason, boolean suppressed) {}

  /** Scores of one measure in one month since index: quartiles across participants. */
  record Trajectory(String measure, int month, long participants, long scores, double q1,
      double median, double q3) {}

  /** A comparisons row: a term's coefficient, a model-wide test, or why not estimable. */
  record Comparison(String condition, String measure, String analysis, String term, String test,
      Double hazardRatio, Double ciLower, Double ciUpper, Double statistic, Integer df,
      Double p, Long participants, Long events, boolean estimable, String reason) {}

  record PhCheck(String condition, String analysis, String term, Double chiSquare, int df,
      Double p) {}

  record BalanceRow(String condition, String covariate, Double smdUnweighted,
      Double smdWeighted, Long maintenance, Long none, boolean suppressed) {}

  /** A run_summary row; {@code records} is null when withheld. */
  record RunSummaryRow(String clinic, String resourceType, String outcome, String reason,
      Long records, boolean suppressed, String clinicStatus) {}

  record Quarantine(String clinic, String resourceType, String reason, String measure,
      String stage, Long records, boolean suppressed) {}

  private final Path research;
  private final Connection db;

  private ResearchTables(Path research, Connection db) {
    this.research = research;
    this.db = db;
  }

  /**
   * Opens one DuckDB connection on a daemon thread and closes it: the driver's first connection
   * unpacks its native library (~60 MB) from the jar and loads it, ~0.6 s of one core, which
   * then happens while the job runs instead of before the report. A failure here is left for
   * {@link #open} to report.
   */
  static void loadDriverAhead() {
    Thread loader = new Thread(() -> {
      try (Connection ignored = DriverManager.getConnection("jdbc:duckdb:")) {
        // loaded
      } catch (SQLException | RuntimeException | LinkageError e) {
        // open() fails with its own message, where the report needs it
      }
    }, "longitude-duckdb-ahead");
    loader.setDaemon(true);
    loader.start();
  }

  static ResearchTables open(Path research) throws IOException {
    try {
      Class.forName("org.duckdb.DuckDBDriver");
      return new ResearchTables(research, DriverManager.getConnection("jdbc:duckdb:"));
    } catch (ClassNotFoundException | SQLException e) {
      throw new IOException("cannot open DuckDB to read " + research, e);
    }
  }

  List<Survival> survival() throws IOException {
    return query(Schemas.SURVIVAL, "SELECT condition, measure, stratum, day, at_risk, events, "
        + "censored, survival, ci_lower, ci_upper, suppressed FROM %s "
        + "ORDER BY condition, stratum, day", r -> new Survival(r.getString(1), r.getString(2),
            r.getString(3), r.getInt(4), longOrNull(r, 5), longOrNull(r, 6), longOrNull(r, 7),
            r.getDouble(8), doubleOrNull(r, 9), doubleOrNull(r, 10), r.getBoolean(11)));
  }

  /** The IPTW-weighted landmark curves, as survival rows without counts. */
  List<Survival> weightedSurvival() throws IOException {
    return query(Schemas.WEIGHTED_SURVIVAL, "SELECT condition, measure, stratum, day, survival, "
        + "ci_lower, ci_upper FROM %s ORDER BY condition, stratum, day",
        r -> new Survival(r.getString(1), r.getString(2), r.getString(3), r.getInt(4), null,
            null, null, r.getDouble(5), doubleOrNull(r, 6), doubleOrNull(r, 7), false));
  }

  List<Comparison> comparisons() throws IOException {
    return query(Schemas.COMPARISONS, "SELECT condition, measure, analysis, term, test, "
        + "hazard_ratio, ci_lower, ci_upper, statistic, df, p_value, participants, events, "
        + "estimable, reason FROM %s ORDER BY condition, analysis, "
        + "CASE test WHEN 'wald_z' THEN 0 ELSE 1 END, term = 'maintenance' DESC, term, test",
        r -> new Comparison(r.getString(1), r.getString(2), r.getString(3), r.getString(4),
            r.getString(5), doubleOrNull(r, 6), doubleOrNull(r, 7), doubleOrNull(r, 8),
            doubleOrNull(r, 9), intOrNull(r, 10), doubleOrNull(r, 11), longOrNull(r, 12),
            longOrNull(r, 13), r.getBoolean(14), r.getString(15)));
  }

  List<PhCheck> phChecks() throws IOException {
    return query(Schemas.PH_CHECKS, "SELECT condition, analysis, term, chi_square, df, "
        + "p_value FROM %s ORDER BY condition, analysis, term = 'GLOBAL', "
        + "term = 'maintenance' DESC, term", r -> new PhCheck(r.getString(1), r.getString(2),
            r.getString(3), doubleOrNull(r, 4), r.getInt(5), doubleOrNull(r, 6)));
  }

  List<BalanceRow> balance() throws IOException {
    return query(Schemas.BALANCE, "SELECT condition, covariate, smd_unweighted, smd_weighted, "
        + "participants_maintenance, participants_none, suppressed FROM %s "
        + "ORDER BY condition, covariate", r -> new BalanceRow(r.getString(1), r.getString(2),
            doubleOrNull(r, 3), doubleOrNull(r, 4), longOrNull(r, 5), longOrNull(r, 6),
            r.getBoolean(7)));
  }

  List<Landmark> landmarks() throws IOException {
    return query(Schemas.LANDMARKS, "SELECT condition, measure, stratum, months, day, "
        + "relapse_free, evaluable, lost, km_estimate, ci_lower, ci_upper, suppressed FROM %s "
        + "ORDER BY condition, stratum, months", r -> new Landmark(r.getString(1),
            r.getString(2), r.getString(3), r.getInt(4), r.getInt(5), longOrNull(r, 6),
            longOrNull(r, 7), longOrNull(r, 8), doubleOrNull(r, 9), doubleOrNull(r, 10),
            doubleOrNull(r, 11), r.getBoolean(12)));
  }

  List<CourseOutcome> courseOutcomes() throws IOException {
    return query(Schemas.COURSE_OUTCOMES, "SELECT condition, measure, metric, numerator, "
        + "denominator, rate, ci_lower, ci_upper, suppressed FROM %s ORDER BY condition, "
        + "CASE metric WHEN 'response' THEN 0 WHEN 'remission' THEN 1 ELSE 2 END, "
        + "length(metric), metric", r -> new CourseOutcome(r.getString(1), r.getString(2),
            r.getString(3), longOrNull(r, 4), longOrNull(r, 5), doubleOrNull(r, 6),
            doubleOrNull(r, 7), doubleOrNull(r, 8), r.getBoolean(9)));
  }

  List<Attrition> attrition() throws IOException {
    return query(Schemas.ATTRITION, "SELECT condition, step_order, step, participants, "
        + "excluded, reason, suppressed FROM %s ORDER BY condition, step_order",
        r -> new Attrition(r.getString(1), r.getInt(2), r.getString(3), longOrNull(r, 4),
            longOrNull(r, 5), r.getString(6), r.getBoolean(7)));
  }

  /**
   * Median and quartiles of scores by whole month since index (days / daysPerMonth, floored),
   * each participant counted once per month (the median of their scores in that month).
   */
  List<Trajectory> trajectories(double daysPerMonth) throws IOException {
    return query(Schemas.OBSERVATIONS, "WITH per_participant AS ("
        + " SELECT measure, participant_id,"
        + " CAST(floor(days_since_index / " + daysPerMonth + ") AS INTEGER) AS month,"
        + " median(score) AS score, count(*) AS scores FROM %s"
        + " WHERE days_since_index IS NOT NULL GROUP BY ALL)"
        + " SELECT measure, month, count(*), sum(scores), quantile_cont(score, 0.25),"
        + " quantile_cont(score, 0.5), quantile_cont(score, 0.75) FROM per_participant"
        + " GROUP BY ALL ORDER BY measure, month",
        r -> new Trajectory(r.getString(1), r.getInt(2), r.getLong(3), r.getLong(4),
            r.getDouble(5), r.getDouble(6), r.getDouble(7)));
  }

  List<RunSummaryRow> runSummary() throws IOException {
    return query(Schemas.RUN_SUMMARY, "SELECT clinic, resource_type, outcome, reason, "
        + "records, suppressed, clinic_status FROM %s "
        + "ORDER BY clinic, resource_type, outcome, reason",
        r -> new RunSummaryRow(r.getString(1), r.getString(2), r.getString(3),
            r.getString(4), longOrNull(r, 5), r.getBoolean(6), r.getString(7)));
  }

  List<Quarantine> quarantine() throws IOException {
    return query(Schemas.QUARANTINE, "SELECT clinic, resource_type, reason, measure, stage, "
        + "records, suppressed FROM %s ORDER BY clinic, resource_type, reason, measure",
        r -> new Quarantine(r.getString(1), r.getString(2), r.getString(3), r.getString(4),
            r.getString(5), longOrNull(r, 6), r.getBoolean(7)));
  }

  private interface RowMapper<T> {
    T map(ResultSet r) throws SQLException;
  }

  /** Runs {@code sql} with {@code %s} standing for the table's Parquet files. */
  private <T> List<T> query(String table, String sql, RowMapper<T> mapper) throws IOException {
    Path dir = research.resolve(table);
    if (!hasParquet(dir)) {
      return List.of();
    }
    String files = "read_parquet('" + dir.toAbsolutePath().toString().replace("'", "''")
        + "/*.parquet')";
    List<T> rows = new ArrayList<>();
    try (PreparedStatement statement = db.prepareStatement(String.format(sql, files));
        ResultSet r = statement.executeQuery()) {
      while (r.next()) {
        rows.add(mapper.map(r));
      }
    } catch (SQLException e) {
      throw new IOException("cannot read research table " + table + " in " + research, e);
    }
    return rows;
  }

  private static boolean hasParquet(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.anyMatch(f -> f.getFileName().toString().endsWith(".parquet"));
    }
  }

  private static Long longOrNull(ResultSet r, int column) throws SQLException {
    long v = r.getLong(column);
    return r.wasNull() ? null : v;
  }

  private static Integer intOrNull(ResultSet r, int column) throws SQLException {
    int v = r.getInt(column);
    return r.wasNull() ? null : v;
  }

  private static Double doubleOrNull(ResultSet r, int column) throws SQLException {
    double v = r.getDouble(column);
    return r.wasNull() ? null : v;
  }

  @Override
  public void close() throws IOException {
    try {
      db.close();
    } catch (SQLException e) {
      throw new IOException(e);
    }
  }
}
