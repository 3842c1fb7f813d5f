package org.longitude.views;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.LenientErrorHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Resource;

/**
 * Runs test files in the SQL on FHIR v2 test format (the specification's {@code tests/}
 * folder): each file holds resources and tests, each test a view and its expected rows
 * ({@code expect}, compared as a multiset), row count ({@code expectCount}), column names
 * ({@code expectColumns}) or an expected error ({@code expectError}). Tests tagged
 * {@code experimental} are optional in the specification and counted apart.
 */
public final class ConformanceSuite {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ConformanceSuite() {}

  /** One test's outcome; {@code failure} says why it failed (null when it passed). */
  public record TestResult(String title, boolean optional, String failure) {
    public boolean passed() {
      return failure == null;
    }
  }

  /** A file's tests. */
  public record FileResult(String file, List<TestResult> tests) {
    public long passed(boolean optional) {
      return tests.stream().filter(t -> t.optional() == optional && t.passed()).count();
    }

    public long total(boolean optional) {
      return tests.stream().filter(t -> t.optional() == optional).count();
    }
  }

  /** Runs every {@code *.json} file of {@code folder}, in name order. */
  public static List<FileResult> run(Path folder) throws IOException {
    FhirContext fhir = FhirContext.forR4Cached();
    List<FileResult> results = new ArrayList<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        results.add(runFile(file.getFileName().toString(), JSON.readTree(file.toFile()), fhir));
      }
    }
    return results;
  }

  /** Runs one test file's tests. */
  public static FileResult runFile(String name, JsonNode suite, FhirContext fhir) {
    List<TestResult> results = new ArrayList<>();
    List<Parsed> resources;
    String unreadable = null;
    try {
      resources = resources(suite.path("resources"), fhir);
    } catch (RuntimeException e) {
      resources = List.of();
      unreadable = "the file's resources do not parse as R4: " + e.getMessage();
    }
    for (JsonNode test : suite.path("tests")) {
      String title = test.path("title").asText();
      boolean optional = false;
      for (JsonNode tag : test.path("tags")) {
        optional |= tag.asText().equals("experimental");
      }
      String failure = unreadable != null ? unreadable : runTest(test, resources, fhir, title);
      results.add(new TestResult(title, optional, failure));
    }
    return new FileResult(name, List.copyOf(results));
  }

  private static String runTest(JsonNode test, List<Parsed> resources, FhirContext fhir,
      String title) {
    boolean expectError = test.path("expectError").asBoolean(false);
    List<List<Object>> rows = new ArrayList<>();
    List<String> columns;
    try {
      CompiledView view = CompiledView.compile(ViewDefinition.parse(test.get("view"), title),
          title, fhir);
      columns = view.columns().stream().map(ViewDefinition.Column::name).toList();
      for (Parsed r : resources) {
        List<Object[]> modelRows = view.rows(r.model());
        String differs = sameOnJson(view, r, modelRows);
        if (differs != null) {
          return differs;
        }
        for (Object[] row : modelRows) {
          List<Object> values = new ArrayList<>();
          for (Object cell : row) {
            values.add(plain(cell));
          }
          rows.add(values);
        }
      }
    } catch (ViewException e) {
      return expectError ? null : "unexpected error: " + e.getMessage();
    }
    if (expectError) {
      return "expected an error, got " + rows.size() + " row(s)";
    }
    if (test.has("expectColumns")) {
      List<String> expected = new ArrayList<>();
      test.get("expectColumns").forEach(c -> expected.add(c.asText()));
      if (!expected.equals(columns)) {
        return "columns " + columns + ", expected " + expected;
      }
    }
    if (test.has("expectCount")) {
      long count = test.get("expectCount").asLong();
      return rows.size() == count ? null : rows.size() + " row(s), expected " + count;
    }
    List<List<Object>> expected = new ArrayList<>();
    for (JsonNode row : test.path("expect")) {
      List<Object> values = new ArrayList<>();
      for (String column : columns) {
        values.add(plain(row.get(column)));
      }
      for (var it = row.fieldNames(); it.hasNext(); ) {
        String column = it.next();
        if (!columns.contains(column)) {
          return "expected column '" + column + "' is not among " + columns;
        }
      }
      expected.add(values);
    }
    return sameRows(rows, expected) ? null
        : "rows " + rows + ", expected " + expected + " (columns " + columns + ")";
  }

  /** A test resource in HAPI's model and as the JSON tree the JSON engine reads. */
  private record Parsed(Resource model, ObjectNode tree) {}

  private static List<Parsed> resources(JsonNode json, FhirContext fhir) {
    IParser parser = fhir.newJsonParser();
    parser.setParserErrorHandler(new LenientErrorHandler(false)); // R5-only elements: skip
    List<Parsed> resources = new ArrayList<>();
    for (JsonNode r : json) {
      String text = r.toString();
      try {
        resources.add(new Parsed((Resource) parser.parseResource(text),
            ModelReader.tree(text.getBytes(StandardCharsets.UTF_8))));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return resources;
  }

  /**
   * Null when the JSON engine, where the view runs on it, gives the rows the model gave (the
   * same values of the same HAPI types) or gives up on the resource; what differs otherwise.
   */
  private static String sameOnJson(CompiledView view, Parsed r, List<Object[]> modelRows) {
    if (!view.runsOnJson() || !view.resource().equals(r.tree().path("resourceType").asText())) {
      return null;
    }
    List<Object[]> jsonRows;
    try {
      jsonRows = view.rows(view.jsonInput(r.tree()));
    } catch (JsonTree.Unsupported e) {
      return null;
    }
    List<String> model = modelRows.stream().map(ConformanceSuite::typed).toList();
    List<String> json = jsonRows.stream().map(ConformanceSuite::typed).toList();
    return model.equals(json) ? null
        : "the JSON engine gave " + json + ", HAPI's model " + model;
  }

  /** A row's cells with their HAPI classes, for comparing the two engines. */
  static String typed(Object[] row) {
    List<String> cells = new ArrayList<>();
    for (Object cell : row) {
      cells.add(typedCell(cell));
    }
    return cells.toString();
  }

  private static String typedCell(Object cell) {
    if (cell instanceof List<?> list) {
      return list.stream().map(ConformanceSuite::typedCell).toList().toString();
    }
    return cell == null ? "null" : cell.getClass().getSimpleName() + ":"
        + (((Base) cell).isPrimitive() ? ((Base) cell).primitiveValue() : ((Base) cell)
            .fhirType());
  }

  /** Rows equal as multisets: the specification does not order a view's rows. */
  private static boolean sameRows(List<List<Object>> actual, List<List<Object>> expected) {
    if (actual.size() != expected.size()) {
      return false;
    }
    List<List<Object>> left = new ArrayList<>(expected);
    for (List<Object> row : actual) {
      int match = -1;
      for (int i = 0; i < left.size() && match < 0; i++) {
        if (same(row, left.get(i))) {
          match = i;
        }
      }
      if (match < 0) {
        return false;
      }
      left.remove(match);
    }
    return true;
  }

  private static boolean same(Object a, Object b) {
    if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
      return x.compareTo(y) == 0;
    }
    if (a instanceof List<?> x && b instanceof List<?> y) {
      if (x.size() != y.size()) {
        return false;
      }
      for (int i = 0; i < x.size(); i++) {
        if (!same(x.get(i), y.get(i))) {
          return false;
        }
      }
      return true;
    }
    return a == null ? b == null : a.equals(b);
  }

  /** A cell or an expected JSON value as a plain comparable value. */
  static Object plain(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(ConformanceSuite::plain).toList();
    }
    if (value instanceof JsonNode json) {
      if (json.isNull()) {
        return null;
      }
      if (json.isArray()) {
        List<Object> items = new ArrayList<>();
        json.forEach(i -> items.add(plain(i)));
        return items;
      }
      if (json.isNumber()) {
        return json.decimalValue();
      }
      if (json.isBoolean()) {
        return json.booleanValue();
      }
      return json.asText();
    }
    Base base = (Base) value;
    if (base instanceof BooleanType b) {
      return b.getValue();
    }
    if (base instanceof IntegerType i) {
      return i.getValue() == null ? null : BigDecimal.valueOf(i.getValue());
    }
    if (base instanceof DecimalType d) {
      return d.getValue();
    }
    if (base instanceof PrimitiveType<?> p) {
      return p.getValueAsString();
    }
    return base.fhirType();
  }
}
