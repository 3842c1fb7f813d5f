package org.longitude.views;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A SQL on FHIR v2 ViewDefinition as written (its JSON), checked for shape: which resource,
 * constants, nested selects with columns, {@code forEach}, {@code forEachOrNull},
 * {@code repeat} and {@code unionAll}, and {@code where} filters. Paths stay text here;
 * {@link CompiledView} parses them. Serializable: a study's views travel to the workers.
 *
 * @param name the view's name ({@code name}), or null when it has none
 * @param resource the FHIR resource type it flattens
 * @param constants named values its paths read as {@code %name}
 * @param select the top-level selects, whose rows are combined as a cross product
 * @param where paths that must each be true for a resource to give rows
 */
public record ViewDefinition(String name, String resource, List<Constant> constants,
    List<Select> select, List<String> where) implements Serializable {
  /** Column names are SQL-friendly identifiers (the specification's rule). */
  private static final Pattern COLUMN_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
  /** A path that may reach the narrative: see {@link #mayReadNarrative}. */
  private static final Pattern NARRATIVE =
      Pattern.compile("\\btext\\b|`text`|\\bchildren\\s*\\(|\\bdescendants\\s*\\(");

  /**
   * A column: a path evaluated on the select's focus.
   *
   * @param type the FHIR type the view declares, or null
   * @param collection whether it may hold several values (else more than one is an error)
   */
  public record Column(String name, String path, String type, boolean collection)
      implements Serializable {}

  /**
   * One select: its columns, nested selects and unionAll branches, evaluated on each focus
   * that {@code forEach}, {@code forEachOrNull} or {@code repeat} gives (or on the parent's
   * focus when none is set).
   */
  public record Select(List<Column> columns, List<Select> selects, String forEach,
      String forEachOrNull, List<String> repeat, List<Select> unionAll) implements Serializable {
    /** The iteration path, whichever of forEach and forEachOrNull is set, or null. */
    public String iteration() {
      return forEach != null ? forEach : forEachOrNull;
    }
  }

  /**
   * A named constant.
   *
   * @param type the FHIR primitive type from its {@code value[x]} key ({@code valueCode}:
   *     {@code code})
   * @param value its JSON value as text (strings unquoted)
   */
  public record Constant(String name, String type, String value) implements Serializable {}

  /**
   * Reads a ViewDefinition's JSON.
   *
   * @param fallbackName the name to report in errors when the view has none (its file, say)
   * @throws ViewException when the JSON is not a view this engine can run
   */
  public static ViewDefinition parse(JsonNode json, String fallbackName) {
    String label = json != null && json.path("name").isTextual() ? json.get("name").asText()
        : fallbackName;
    if (json == null || !json.isObject()) {
      throw new ViewException(label, "", "a ViewDefinition is a JSON object");
    }
    String resource = text(json, "resource", label, "");
    if (resource == null || resource.isBlank()) {
      throw new ViewException(label, "resource", "the view names no resource type");
    }
    List<Constant> constants = new ArrayList<>();
    for (JsonNode c : array(json, "constant", label, "")) {
      constants.add(constant(c, label));
    }
    List<Select> select = new ArrayList<>();
    JsonNode selects = array(json, "select", label, "");
    for (int i = 0; i < selects.size(); i++) {
      select.add(select(selects.get(i), label, "select[" + i + "]"));
    }
    if (select.isEmpty()) {
      throw new ViewException(label, "select", "the view selects no columns");
    }
    List<String> where = new ArrayList<>();
    JsonNode wheres = array(json, "where", label, "");
    for (int i = 0; i < wheres.size(); i++) {
      String path = text(wheres.get(i), "path", label, "where[" + i + "]");
      if (path == null) {
        throw new ViewException(label, "where[" + i + "].path", "a where needs a path");
      }
      where.add(path);
    }
    String name = json.path("name").isTextual() ? json.get("name").asText() : null;
    return new ViewDefinition(name, resource, List.copyOf(constants), List.copyOf(select),
        List.copyOf(where));
  }

  /** The name errors are reported under. */
  public String label(String fallback) {
    return name != null ? name : fallback;
  }

  /** Every column of the view, in the order of the rows' values. */
  public List<Column> columns() {
    List<Column> all = new ArrayList<>();
    select.forEach(s -> collect(s, all));
    return all;
  }

  /**
   * Whether a path of the view may read the resource's narrative ({@code text}): one names an
   * element {@code text}, or walks every child ({@code children()}, {@code descendants()}).
   * A view that cannot is run on its resources without their narrative, whose XHTML is the
   * dearest part of a parse (and is never released).
   */
  public boolean mayReadNarrative() {
    List<String> paths = new ArrayList<>(where);
    select.forEach(s -> paths(s, paths));
    return paths.stream().anyMatch(p -> NARRATIVE.matcher(p).find());
  }

  private static void paths(Select s, List<String> into) {
    s.columns().forEach(c -> into.add(c.path()));
    if (s.iteration() != null) {
      into.add(s.iteration());
    }
    into.addAll(s.repeat());
    s.selects().forEach(n -> paths(n, into));
    s.unionAll().forEach(n -> paths(n, into));
  }

  /** A select's columns in output order: its own, its nested selects', its unionAll's. */
  static void collect(Select s, List<Column> into) {
    into.addAll(s.columns());
    s.selects().forEach(n -> collect(n, into));
    if (!s.unionAll().isEmpty()) {
      collect(s.unionAll().get(0), into);
    }
  }

  private static Select select(JsonNode s, String view, String at) {
    if (!s.isObject()) {
      throw new ViewException(view, at, "a select is a JSON object");
    }
    List<Column> columns = new ArrayList<>();
    JsonNode cs = array(s, "column", view, at);
    for (int i = 0; i < cs.size(); i++) {
      columns.add(column(cs.get(i), view, at + ".column[" + i + "]"));
    }
    List<Select> nested = new ArrayList<>();
    JsonNode ns = array(s, "select", view, at);
    for (int i = 0; i < ns.size(); i++) {
      nested.add(select(ns.get(i), view, at + ".select[" + i + "]"));
    }
    List<Select> union = new ArrayList<>();
    JsonNode us = array(s, "unionAll", view, at);
    for (int i = 0; i < us.size(); i++) {
      union.add(select(us.get(i), view, at + ".unionAll[" + i + "]"));
    }
    String forEach = text(s, "forEach", view, at);
    String forEachOrNull = text(s, "forEachOrNull", view, at);
    List<String> repeat = new ArrayList<>();
    for (JsonNode r : array(s, "repeat", view, at)) {
      if (!r.isTextual()) {
        throw new ViewException(view, at + ".repeat", "repeat lists paths (strings)");
      }
      repeat.add(r.asText());
    }
    int iterations = (forEach != null ? 1 : 0) + (forEachOrNull != null ? 1 : 0)
        + (repeat.isEmpty() ? 0 : 1);
    if (iterations > 1) {
      throw new ViewException(view, at, "give at most one of forEach, forEachOrNull and repeat");
    }
    if (columns.isEmpty() && nested.isEmpty() && union.isEmpty()) {
      throw new ViewException(view, at, "a select needs a column, a select or a unionAll");
    }
    return new Select(List.copyOf(columns), List.copyOf(nested), forEach, forEachOrNull,
        List.copyOf(repeat), List.copyOf(union));
  }

  private static Column column(JsonNode c, String view, String at) {
    String name = text(c, "name", view, at);
    String path = text(c, "path", view, at);
    if (name == null || !COLUMN_NAME.matcher(name).matches()) {
      throw new ViewException(view, at + ".name", "a column needs a name of letters, digits "
          + "and '_', starting with a letter");
    }
    if (path == null) {
      throw new ViewException(view, at + ".path", "column '" + name + "' has no path");
    }
    JsonNode collection = c.get("collection");
    if (collection != null && !collection.isBoolean()) {
      throw new ViewException(view, at + ".collection", "collection is true or false");
    }
    return new Column(name, path, text(c, "type", view, at),
        collection != null && collection.booleanValue());
  }

  private static Constant constant(JsonNode c, String view) {
    String name = text(c, "name", view, "constant");
    if (name == null) {
      throw new ViewException(view, "constant", "a constant needs a name");
    }
    String at = "constant '" + name + "'";
    Constant found = null;
    for (Iterator<Map.Entry<String, JsonNode>> it = c.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String key = field.getKey();
      if (key.startsWith("value") && key.length() > 5) {
        if (found != null || !field.getValue().isValueNode()) {
          throw new ViewException(view, at, "a constant has exactly one primitive value[x]");
        }
        String type = Character.toLowerCase(key.charAt(5)) + key.substring(6);
        found = new Constant(name, type, field.getValue().asText());
      }
    }
    if (found == null) {
      throw new ViewException(view, at, "the constant has no value (valueString, valueCode, "
          + "valueInteger, ...)");
    }
    return found;
  }

  private static String text(JsonNode node, String field, String view, String at) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new ViewException(view, at.isEmpty() ? field : at + "." + field,
          field + " must be a string");
    }
    return v.asText();
  }

  private static JsonNode array(JsonNode node, String field, String view, String at) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
    }
    if (!v.isArray()) {
      throw new ViewException(view, at.isEmpty() ? field : at + "." + field,
          field + " must be a list");
    }
    return v;
  }
}
