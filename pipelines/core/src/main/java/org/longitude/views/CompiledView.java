package org.longitude.views;

import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.exceptions.FHIRException;
import org.hl7.fhir.r4.fhirpath.ExpressionNode;
import org.hl7.fhir.r4.fhirpath.FHIRPathEngine;
import org.hl7.fhir.r4.fhirpath.FHIRPathUtilityClasses.FHIRConstant;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ResourceFactory;

/**
 * A view ready to run: every path parsed once, here, never per resource; the select tree
 * laid out so that each column has its slot in a row. {@link #rows} flattens one resource.
 * Not thread-safe (it holds a FHIRPath engine): one per DoFn instance or thread.
 *
 * <p>Rows follow the specification: the top-level selects' rows are combined as a cross
 * product; a select gives, for each focus (the parent's, or each item its {@code forEach},
 * {@code forEachOrNull} or {@code repeat} path gives), its columns crossed with each nested
 * select's rows and with the concatenated rows of its {@code unionAll} branches. An empty
 * {@code forEachOrNull} gives one row evaluated on an empty focus (nulls, but
 * {@code %rowIndex} 0); an empty {@code forEach} none.
 */
public final class CompiledView {
  /** Constants FHIRPath itself defines, beside the view's own and {@code %rowIndex}. */
  private static final Set<String> BUILT_IN_CONSTANTS =
      Set.of("resource", "rootResource", "context", "ucum", "sct", "loinc");

  private final String label;
  private final String resource;
  private final FHIRPathEngine engine;
  private final List<ViewDefinition.Column> columns;
  private final Map<String, List<Base>> constants;
  /** Every path of the view, by number: parsed, and compiled for the JSON tree (or null). */
  private final List<ExpressionNode> paths = new ArrayList<>();
  private final List<JsonPaths.Path> jsonPaths = new ArrayList<>();
  private final JsonTree tree = new JsonTree();
  private final JsonPaths json = new JsonPaths(tree);
  private final BaseRuntimeElementDefinition<?> resourceDefinition;
  private final int[] where;
  private final List<Node> selects;

  /** One select, compiled: its paths' numbers, its columns' slots. */
  private record Node(int[] paths, int[] slots, ViewDefinition.Column[] columns,
      int iteration, boolean orNull, int[] repeat, List<Node> selects, List<Node> union) {}

  private CompiledView(String label, ViewDefinition view, FHIRPathEngine engine,
      FhirContext fhir) {
    this.label = label;
    this.resource = view.resource();
    this.engine = engine;
    this.columns = view.columns();
    this.constants = constants(view);
    this.resourceDefinition = fhir.getResourceTypes().contains(resource)
        ? fhir.getResourceDefinition(resource) : null;
    Set<String> names = new HashSet<>();
    for (ViewDefinition.Column c : columns) {
      if (!names.add(c.name())) {
        throw new ViewException(label, "column '" + c.name() + "'",
            "two columns have this name; column names must be unique");
      }
    }
    this.where = new int[view.where().size()];
    for (int i = 0; i < where.length; i++) {
      where[i] = path(view.where().get(i), "where[" + i + "]");
    }
    List<Node> nodes = new ArrayList<>();
    int[] next = {0};
    for (int i = 0; i < view.select().size(); i++) {
      nodes.add(compile(view.select().get(i), "select[" + i + "]", next, null));
    }
    this.selects = List.copyOf(nodes);
  }

  /**
   * Compiles {@code view} with a new engine.
   *
   * @param label the name errors report (the view's name, or its file)
   * @throws ViewException when a path does not parse, names an unknown constant, or the
   *     selects do not fit together (unionAll branches with other columns, a repeated name)
   */
  public static CompiledView compile(ViewDefinition view, String label, FhirContext fhir) {
    return new CompiledView(label, view, FhirPaths.engine(fhir), fhir);
  }

  public String label() {
    return label;
  }

  /** The resource type the view flattens. */
  public String resource() {
    return resource;
  }

  /** The view's columns in the order of each row's cells. */
  public List<ViewDefinition.Column> columns() {
    return columns;
  }

  /**
   * Whether every path of the view (and those added with {@link #path}) runs on the JSON tree
   * ({@link JsonPaths}): then {@link #jsonInput} reads resources without HAPI's model.
   */
  public boolean runsOnJson() {
    return resourceDefinition != null && !jsonPaths.contains(null);
  }

  /** The resource, in HAPI's model, for {@link #rows} and {@link #evaluate}. */
  public Input input(Resource r) {
    return new Input(this, r, null);
  }

  /**
   * The resource's JSON tree, when the view {@link #runsOnJson}. Its rows and values are HAPI's
   * on the parsed resource; where the JSON is beyond {@link JsonPaths}, {@link #rows} and
   * {@link #evaluate} throw {@link JsonTree.Unsupported}: read that resource with HAPI.
   */
  public Input jsonInput(ObjectNode resource) {
    return new Input(this, null, tree.root(resource, resourceDefinition));
  }

  /** How {@link #jsonInput} reads the JSON tree, for what else the stage reads of it. */
  JsonTree jsonTree() {
    return tree;
  }

  /** One resource, read by one view: its paths evaluate on the model or on the JSON tree. */
  public static final class Input {
    private final CompiledView view;
    private final Resource model;
    private final JsonTree.Item json;
    private final ViewFunctions.Scope scope;

    private Input(CompiledView view, Resource model, JsonTree.Item json) {
      this.view = view;
      this.model = model;
      this.json = json;
      this.scope = new ViewFunctions.Scope(view.constants);
    }

    private String type() {
      return model != null ? model.fhirType() : view.resource;
    }

    /** The JSON tree's root item (null for a resource in HAPI's model). */
    JsonTree.Item jsonRoot() {
      return json;
    }

    private Object root() {
      return model != null ? model : json;
    }

    /** The values of path {@code path} on {@code focus} (items of this input's kind). */
    private List<?> evaluate(int path, Object focus) {
      if (model != null) {
        return view.engine.evaluate(scope, model, model, (Base) focus, view.paths.get(path));
      }
      return view.jsonPaths.get(path).evaluate(json,
          focus == null ? List.of() : List.of((JsonTree.Item) focus), scope);
    }

    private static Base value(Object item) {
      return item instanceof JsonTree.Item i ? i.toBase() : (Base) item;
    }

    private static List<Base> values(List<?> items) {
      List<Base> values = new ArrayList<>(items.size());
      for (Object item : items) {
        values.add(value(item));
      }
      return values;
    }
  }

  /** Rows of a resource in HAPI's model: {@link #rows(Input)} of {@link #input(Resource)}. */
  public List<Object[]> rows(Resource r) {
    return rows(input(r));
  }

  /**
   * The rows of one resource (none when it is of another type or a where is not true). A
   * cell is null, a value ({@link Base}), or for a collection column a list of values.
   *
   * @throws ViewException when the resource breaks the view: a where path that is not
   *     boolean, several values in a column that is not a collection
   */
  public List<Object[]> rows(Input in) {
    if (!in.type().equals(resource)) {
      return List.of();
    }
    for (int i = 0; i < where.length; i++) {
      if (!isTrue(evaluate(in, in.root(), where[i], "where[" + i + "]"), "where[" + i + "]")) {
        return List.of();
      }
    }
    List<Object[]> rows = List.<Object[]>of(new Object[columns.size()]);
    for (Node select : selects) {
      rows = product(rows, rows(select, in, in.root(), 0));
      if (rows.isEmpty()) {
        break;
      }
    }
    return rows;
  }

  /**
   * Adds a path to the view's (the participant's key, say), parsed and compiled like its own;
   * returns its number for {@link #evaluate}.
   */
  int path(String path, String at) {
    paths.add(parse(path, at));
    jsonPaths.add(json.compile(paths.get(paths.size() - 1), constants.keySet()));
    return paths.size() - 1;
  }

  /**
   * Evaluates a path of the view's ({@link #path}) on a resource. Empty when HAPI's engine
   * fails; {@link JsonTree.Unsupported} on JSON it cannot read.
   */
  List<Base> evaluate(Input in, int path) {
    List<?> values;
    try {
      values = in.evaluate(path, in.root());
    } catch (JsonTree.Unsupported e) {
      throw e;
    } catch (RuntimeException e) {
      return List.of();
    }
    return Input.values(values);
  }

  private List<Object[]> rows(Node node, Input in, Object focus, int index) {
    List<?> foci;
    if (node.iteration() >= 0) {
      foci = evaluate(in, focus, node.iteration(), "forEach");
      if (foci.isEmpty() && node.orNull()) {
        // One row on an empty focus: element paths give null, %rowIndex 0, as in the
        // specification's reference implementation.
        foci = java.util.Collections.singletonList(null);
      }
    } else if (node.repeat().length > 0) {
      List<Object> descendants = new ArrayList<>();
      descend(node.repeat(), in, focus, descendants);
      foci = descendants;
    } else {
      foci = java.util.Collections.singletonList(focus); // null under an empty forEachOrNull
    }
    List<Object[]> out = new ArrayList<>();
    for (int i = 0; i < foci.size(); i++) {
      Object item = foci.get(i);
      int at = node.iteration() >= 0 || node.repeat().length > 0 ? i : index;
      in.scope.rowIndex(at);
      Object[] row = new Object[columns.size()];
      for (int c = 0; c < node.paths().length; c++) {
        row[node.slots()[c]] = cell(node.columns()[c],
            evaluate(in, item, node.paths()[c], node.columns()[c].name()));
      }
      List<Object[]> rows = List.<Object[]>of(row);
      for (Node nested : node.selects()) {
        rows = product(rows, rows(nested, in, item, at));
      }
      if (!node.union().isEmpty()) {
        List<Object[]> union = new ArrayList<>();
        for (Node branch : node.union()) {
          union.addAll(rows(branch, in, item, at));
        }
        rows = product(rows, union);
      }
      out.addAll(rows);
    }
    return out;
  }

  /** {@code repeat}: each path's results, each followed by its own results, depth first. */
  private void descend(int[] paths, Input in, Object focus, List<Object> into) {
    for (int path : paths) {
      for (Object child : evaluate(in, focus, path, "repeat")) {
        into.add(child);
        descend(paths, in, child, into);
      }
    }
  }

  private Object cell(ViewDefinition.Column column, List<?> values) {
    if (column.collection()) {
      return List.copyOf(Input.values(values));
    }
    if (values.size() > 1) {
      throw new ViewException(label, "column '" + column.name() + "'", "the path gave more "
          + "than one value; add first() or declare the column a collection");
    }
    return values.isEmpty() ? null : Input.value(values.get(0));
  }

  private boolean isTrue(List<?> values, String at) {
    for (Object v : values) {
      Base b = Input.value(v);
      if (!(b instanceof BooleanType)) {
        throw new ViewException(label, at, "the where path gives a " + b.fhirType()
            + ", not a boolean");
      }
    }
    return values.size() == 1 && ((BooleanType) Input.value(values.get(0))).booleanValue();
  }

  private List<?> evaluate(Input in, Object focus, int path, String at) {
    try {
      return in.evaluate(path, focus);
    } catch (JsonTree.Unsupported e) {
      throw e;
    } catch (RuntimeException e) { // FHIRException among them
      // The engine's messages can quote values it met: name the failure's kind only.
      throw new ViewException(label, at, "FHIRPath evaluation failed ("
          + e.getClass().getSimpleName() + ")");
    }
  }

  /** The cross product of two lists of partial rows (their filled slots never overlap). */
  private static List<Object[]> product(List<Object[]> left, List<Object[]> right) {
    List<Object[]> out = new ArrayList<>(left.size() * right.size());
    for (Object[] l : left) {
      for (Object[] r : right) {
        Object[] row = l.clone();
        for (int i = 0; i < r.length; i++) {
          if (r[i] != null) {
            row[i] = r[i];
          }
        }
        out.add(row);
      }
    }
    return out;
  }

  /**
   * Compiles a select, assigning its columns the next free slots in output order; a union
   * branch after the first reuses the first branch's slots ({@code unionSlots}).
   */
  private Node compile(ViewDefinition.Select s, String at, int[] next, int[] unionSlots) {
    List<ViewDefinition.Column> own = new ArrayList<>();
    ViewDefinition.collect(s, own);
    int[] assigned = unionSlots;
    if (assigned == null) {
      assigned = new int[own.size()];
      for (int i = 0; i < assigned.length; i++) {
        assigned[i] = next[0]++;
      }
    }
    int[] cursor = {0};
    return compileAt(s, at, assigned, cursor);
  }

  /** Compiles a select whose columns take {@code slots} from {@code cursor} on. */
  private Node compileAt(ViewDefinition.Select s, String at, int[] slots, int[] cursor) {
    int n = s.columns().size();
    int[] paths = new int[n];
    int[] mine = new int[n];
    for (int i = 0; i < n; i++) {
      paths[i] = path(s.columns().get(i).path(), at + ".column[" + i + "]");
      mine[i] = slots[cursor[0]++];
    }
    List<Node> nested = new ArrayList<>();
    for (int i = 0; i < s.selects().size(); i++) {
      nested.add(compileAt(s.selects().get(i), at + ".select[" + i + "]", slots, cursor));
    }
    List<Node> union = new ArrayList<>();
    if (!s.unionAll().isEmpty()) {
      List<String> names = names(s.unionAll().get(0));
      int start = cursor[0];
      for (int i = 0; i < s.unionAll().size(); i++) {
        ViewDefinition.Select branch = s.unionAll().get(i);
        if (!names(branch).equals(names)) {
          throw new ViewException(label, at + ".unionAll[" + i + "]", "its columns "
              + names(branch) + " differ from the first branch's " + names
              + " (names and order must match)");
        }
        int[] branchCursor = {start};
        union.add(compileAt(branch, at + ".unionAll[" + i + "]", slots, branchCursor));
      }
      cursor[0] = start + names.size();
    }
    String iteration = s.iteration();
    int[] repeat = new int[s.repeat().size()];
    for (int i = 0; i < repeat.length; i++) {
      repeat[i] = path(s.repeat().get(i), at + ".repeat[" + i + "]");
    }
    return new Node(paths, mine, s.columns().toArray(new ViewDefinition.Column[0]),
        iteration == null ? -1 : path(iteration, at + (s.forEach() != null ? ".forEach"
            : ".forEachOrNull")),
        s.forEachOrNull() != null, repeat, List.copyOf(nested), List.copyOf(union));
  }

  private static List<String> names(ViewDefinition.Select s) {
    List<ViewDefinition.Column> cs = new ArrayList<>();
    ViewDefinition.collect(s, cs);
    return cs.stream().map(ViewDefinition.Column::name).toList();
  }

  /** Parses a path once, and checks the constants it names exist. */
  ExpressionNode parse(String path, String at) {
    ExpressionNode node;
    try {
      node = engine.parse(path);
    } catch (RuntimeException e) { // FHIRLexerException among them
      throw new ViewException(label, at, "'" + path + "' is not a FHIRPath expression: "
          + e.getMessage());
    }
    checkConstants(node, path, at);
    return node;
  }

  private void checkConstants(ExpressionNode node, String path, String at) {
    if (node == null) {
      return;
    }
    if (node.getKind() == ExpressionNode.Kind.Constant
        && node.getConstant() instanceof FHIRConstant c && c.getValue().startsWith("%")) {
      String name = c.getValue().substring(1).replace("`", "");
      if (!constants.containsKey(name) && !name.equals(ViewFunctions.ROW_INDEX)
          && !BUILT_IN_CONSTANTS.contains(name) && !name.startsWith("vs-")
          && !name.startsWith("ext-")) {
        throw new ViewException(label, at, "'" + path + "' names the constant %" + name
            + ", which the view does not define");
      }
    }
    checkConstants(node.getInner(), path, at);
    checkConstants(node.getGroup(), path, at);
    checkConstants(node.getOpNext(), path, at);
    if (node.getParameters() != null) {
      for (ExpressionNode p : node.getParameters()) {
        checkConstants(p, path, at);
      }
    }
  }

  private Map<String, List<Base>> constants(ViewDefinition view) {
    Map<String, List<Base>> values = new HashMap<>();
    for (ViewDefinition.Constant c : view.constants()) {
      try {
        Base value = ResourceFactory.createType(c.type());
        if (!(value instanceof PrimitiveType<?> p)) {
          throw new ViewException(label, "constant '" + c.name() + "'",
              "a constant's value is a primitive (value" + c.type() + " is not)");
        }
        p.setValueAsString(c.value());
        values.put(c.name(), List.of(value));
      } catch (FHIRException | IllegalArgumentException e) {
        throw new ViewException(label, "constant '" + c.name() + "'",
            "value" + c.type() + " is not a FHIR primitive type or its value does not fit it");
      }
    }
    return Map.copyOf(values);
  }
}
