package org.longitude.operate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The published research tables in an embedded, in-memory DuckDB: one view per table over
 * {@code research/<table>/*.parquet}, and the study's views as {@code views.<name>} over
 * {@code research/views/<name>/*.parquet}. File access is then confined to the published run's
 * research folder ({@code allowed_directories}, external access off, configuration locked),
 * so a query cannot read {@code restricted/} or anything else on disk.
 */
public final class ResearchQuery implements AutoCloseable {
  /** Output formats. */
  public enum Format { TABLE, CSV, JSON }

  /** A query's result: column names and rows of plain Java values. */
  public record Result(List<String> columns, List<List<Object>> rows) {}

  private final Connection connection;
  private final Path research;
  private final List<String> tables;

  private ResearchQuery(Connection connection, Path research, List<String> tables) {
    this.connection = connection;
    this.research = research;
    this.tables = tables;
  }

  /** Opens the tables {@code <output>/research} points at. */
  public static ResearchQuery open(Path output) throws IOException, SQLException {
    Path link = output.toAbsolutePath().normalize().resolve("research");
    if (!Files.isDirectory(link)) {
      throw new IOException("no published research tables at " + link
          + "; run the study first (longitude run --study F --output "
          + output + ")");
    }
    Path research = link.toRealPath();
    List<String> tables = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(research)) {
      for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
        try (Stream<Path> files = Files.list(dir)) {
          if (files.anyMatch(f -> f.toString().endsWith(".parquet"))) {
            tables.add(dir.getFileName().toString());
          }
        }
      }
    }
    List<String> views = studyViews(research.resolve("views"));
    Connection c = DriverManager.getConnection("jdbc:duckdb:");
    try (Statement s = c.createStatement()) {
      for (String table : tables) {
        s.execute("CREATE VIEW " + ident(table) + " AS SELECT * FROM read_parquet("
            + literal(research.resolve(table) + "/*.parquet") + ")");
      }
      if (!views.isEmpty()) { // the study's own tables, research/views/<name>/: views.<name>
        s.execute("CREATE SCHEMA views");
        for (String view : views) {
          s.execute("CREATE VIEW views." + ident(view) + " AS SELECT * FROM read_parquet("
              + literal(research.resolve("views").resolve(view) + "/*.parquet") + ")");
          tables.add("views." + view);
        }
      }
      s.execute("SET allowed_directories = [" + literal(research + "/") + "]");
      s.execute("SET enable_external_access = false");
      s.execute("SET lock_configuration = true");
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return new ResearchQuery(c, research, List.copyOf(tables));
  }

  /** The study views with data: folders of {@code research/views/} holding Parquet. */
  private static List<String> studyViews(Path views) throws IOException {
    List<String> names = new ArrayList<>();
    if (!Files.isDirectory(views)) {
      return names;
    }
    try (Stream<Path> dirs = Files.list(views)) {
      for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
        try (Stream<Path> files = Files.list(dir)) {
          if (files.anyMatch(f -> f.toString().endsWith(".parquet"))) {
            names.add(dir.getFileName().toString());
          }
        }
      }
    }
    return names;
  }

  public List<String> tables() {
    return tables;
  }

  /** The published run's research folder the views read. */
  public Path research() {
    return research;
  }

  public Result execute(String sql) throws SQLException {
    try (Statement s = connection.createStatement()) {
      if (!s.execute(sql)) {
        return new Result(List.of("changed"), List.of(List.of(s.getUpdateCount())));
      }
      try (ResultSet rs = s.getResultSet()) {
        ResultSetMetaData md = rs.getMetaData();
        List<String> columns = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          columns.add(md.getColumnLabel(i));
        }
        List<List<Object>> rows = new ArrayList<>();
        while (rs.next()) {
          List<Object> row = new ArrayList<>(columns.size());
          for (int i = 1; i <= columns.size(); i++) {
            row.add(plain(rs.getObject(i)));
          }
          rows.add(row);
        }
        return new Result(columns, rows);
      }
    }
  }

  private static Object plain(Object v) throws SQLException {
    if (v instanceof java.sql.Array a) {
      List<Object> items = new ArrayList<>();
      for (Object o : (Object[]) a.getArray()) {
        items.add(plain(o));
      }
      return items;
    }
    if (v instanceof java.sql.Struct s) {
      return Arrays.stream(s.getAttributes()).map(String::valueOf).toList();
    }
    if (v instanceof Number || v instanceof Boolean || v == null || v instanceof String) {
      return v;
    }
    return v.toString();
  }

  public static void print(Result result, Format format, PrintWriter out) throws IOException {
    switch (format) {
      case CSV -> {
        out.println(String.join(",", result.columns().stream().map(ResearchQuery::csv).toList()));
        for (List<Object> row : result.rows()) {
          out.println(String.join(",", row.stream().map(ResearchQuery::csv).toList()));
        }
      }
      case JSON -> {
        List<Map<String, Object>> objects = new ArrayList<>();
        for (List<Object> row : result.rows()) {
          Map<String, Object> o = new LinkedHashMap<>();
          for (int i = 0; i < row.size(); i++) {
            o.put(result.columns().get(i), row.get(i));
          }
          objects.add(o);
        }
        out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .writeValueAsString(objects));
      }
      case TABLE -> printTable(result, out);
    }
    out.flush();
  }

  private static void printTable(Result result, PrintWriter out) {
    int n = result.columns().size();
    int[] width = new int[n];
    boolean[] numeric = new boolean[n];
    Arrays.fill(numeric, true);
    List<List<String>> cells = new ArrayList<>();
    for (List<Object> row : result.rows()) {
      List<String> text = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Object v = row.get(i);
        numeric[i] &= v == null || v instanceof Number;
        text.add(v == null ? "NULL" : text(v));
      }
      cells.add(text);
    }
    for (int i = 0; i < n; i++) {
      width[i] = result.columns().get(i).length();
      for (List<String> row : cells) {
        width[i] = Math.max(width[i], row.get(i).length());
      }
    }
    out.println(line(result.columns(), width, new boolean[n]));
    StringBuilder rule = new StringBuilder();
    for (int i = 0; i < n; i++) {
      rule.append(i == 0 ? "" : "  ").append("-".repeat(width[i]));
    }
    out.println(rule);
    for (List<String> row : cells) {
      out.println(line(row, width, numeric));
    }
    out.println("(" + result.rows().size() + " row" + (result.rows().size() == 1 ? "" : "s")
        + ")");
  }

  private static String line(List<String> values, int[] width, boolean[] right) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < values.size(); i++) {
      String v = values.get(i);
      String pad = " ".repeat(width[i] - v.length());
      s.append(i == 0 ? "" : "  ").append(right[i] ? pad + v : v + pad);
    }
    return s.toString().stripTrailing();
  }

  private static String text(Object v) {
    if (v instanceof Double || v instanceof Float || v instanceof BigDecimal) {
      double d = ((Number) v).doubleValue();
      return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d)
          : String.valueOf(v);
    }
    if (v instanceof BigInteger) {
      return v.toString();
    }
    return String.valueOf(v);
  }

  private static String csv(Object v) {
    if (v == null) {
      return "";
    }
    String s = v instanceof String str ? str : String.valueOf(v);
    return s.contains(",") || s.contains("\"") || s.contains("\n")
        ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }

  private static String ident(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  private static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
