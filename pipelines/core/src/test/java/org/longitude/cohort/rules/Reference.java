package org.longitude.cohort.rules;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reference files made by {@code reference/make-reference.R} (R's survival package): data
 * sets as CSV and expected values as {@code name,value} lines.
 */
final class Reference {
  private Reference() {}

  /** A data set's columns by name; empty cells are NaN. */
  static Map<String, double[]> data(String file) {
    List<String> lines = lines(file);
    String[] names = unquote(lines.get(0).split(","));
    Map<String, double[]> columns = new LinkedHashMap<>();
    for (String name : names) {
      columns.put(name, new double[lines.size() - 1]);
    }
    for (int r = 1; r < lines.size(); r++) {
      String[] cells = lines.get(r).split(",", -1);
      for (int c = 0; c < names.length; c++) {
        columns.get(names[c])[r - 1] = cells[c].isEmpty() ? Double.NaN
            : Double.parseDouble(cells[c]);
      }
    }
    return columns;
  }

  /** The expected values of one case. */
  static Map<String, Double> expected(String caseName) {
    Map<String, Double> values = new LinkedHashMap<>();
    List<String> lines = lines("expected-" + caseName + ".csv");
    for (String line : lines.subList(1, lines.size())) {
      int comma = line.lastIndexOf(',');
      String value = line.substring(comma + 1);
      values.put(line.substring(0, comma), value.equals("NA") ? Double.NaN
          : Double.parseDouble(value));
    }
    return values;
  }

  /** Equal to R's value to 1e-6, relative (absolute below 1e-6 in size). */
  static void assertClose(double expected, double actual, String what) {
    double tolerance = 1e-6 * Math.max(1e-6, Math.abs(expected));
    assertTrue(Math.abs(expected - actual) <= tolerance,
        what + ": R " + expected + ", here " + actual);
  }

  static boolean[] flags(double[] column) {
    boolean[] b = new boolean[column.length];
    for (int i = 0; i < b.length; i++) {
      b[i] = column[i] != 0;
    }
    return b;
  }

  static int[] ints(double[] column) {
    return Arrays.stream(column).mapToInt(v -> (int) v).toArray();
  }

  /** Rows of the named columns as a covariate matrix. */
  static double[][] matrix(Map<String, double[]> data, List<String> names) {
    int n = data.get(names.get(0)).length;
    double[][] x = new double[n][names.size()];
    for (int c = 0; c < names.size(); c++) {
      double[] column = data.get(names.get(c));
      for (int r = 0; r < n; r++) {
        x[r][c] = column[r];
      }
    }
    return x;
  }

  private static List<String> lines(String file) {
    try (InputStream in = Reference.class.getResourceAsStream("reference/" + file)) {
      if (in == null) {
        throw new IllegalStateException("no reference file " + file);
      }
      List<String> lines = new ArrayList<>(Arrays.asList(
          new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")));
      lines.removeIf(String::isBlank);
      return lines;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String[] unquote(String[] names) {
    return Arrays.stream(names).map(s -> s.replace("\"", "")).toArray(String[]::new);
  }
}
