package org.longitude.views;

import ca.uhn.fhir.context.FhirContext;
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
  private final List<ExpressionNode> where;
  private final List<Node> selects;

  /** One select, compiled: its paths parsed, its columns' slots assigned. */
  private record Node(ExpressionNode[] paths, int[] slots, ViewDefinition.Column[] columns,
      ExpressionNode iteration, boolean orNull, List<ExpressionNode> repeat, List<Node> selects,
      List<Node> union) {}

  private CompiledView(String label, ViewDefinition view, FHIRPathEngine engine) {
    this.label = label;
    this.resource = view.resource();
    this.engine = engine;
    this.columns = view.columns();
    this.constants = constants(view);
    Set<String> names = new HashSet<>();
    for (ViewDefinition.Column c : columns) {
      if (!names.add(c.name())) {
        throw new ViewException(label, "column '" + c.name() + "'",
            "two columns have this name; column names must be unique");
      }
    }
    List<ExpressionNode> wheres = new ArrayList<>();
    for (int i = 0; i < view.where().size(); i++) {
      wheres.add(parse(view.where().get(i), "where[" + i + "]"));
    }
    this.where = List.copyOf(wheres);
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
    return new CompiledView(label, view, FhirPaths.engine(fhir));
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
   * The rows of one resource (none when it is of another type or a where is not true). A
   * cell is null, a value ({@link Base}), or for a collection column a list of values.
   *
   * @throws ViewException when the resource breaks the view: a where path that is not
   *     boolean, several values in a column that is not a collection
   */
  public List<Object[]> rows(Resource r) {
    if (!r.fhirType().equals(resource)) {
      return List.of();
    }
    ViewFunctions.Scope scope = new ViewFunctions.Scope(constants);
    for (int i = 0; i < where.size(); i++) {
      if (!isTrue(evaluate(scope, r, r, where.get(i), "where[" + i + "]"), "where[" + i + "]")) {
        return List.of();
      }
    }
    List<Object[]> rows = List.<Object[]>of(new Object[columns.size()]);
    for (Node select : selects) {
      rows = product(rows, rows(select, r, r, scope, 0));
      if (rows.isEmpty()) {
        break;
      }
    }
    return rows;
  }

  /**
   * Evaluates one more path of the view's (parsed by {@link #parse}) on a resource, with this
   * view's engine: the participant's key, say. Empty when it fails.
   */
  List<Base> evaluate(Resource r, ExpressionNode path) {
    try {
      return engine.evaluate(new ViewFunctions.Scope(constants), r, r, r, path);
    } catch (RuntimeException e) {
      return List.of();
    }
  }

  private List<Object[]> rows(Node node, Resource r, Base focus, ViewFunctions.Scope scope,
      int index) {
    List<Base> foci;
    if (node.iteration() != null) {
      foci = evaluate(scope, r, focus, node.iteration(), "forEach");
      if (foci.isEmpty() && node.orNull()) {
        // One row on an empty focus: element paths give null, %rowIndex 0, as in the
        // specification's reference implementation.
        foci = java.util.Collections.singletonList(null);
      }
    } else if (!node.repeat().isEmpty()) {
      foci = new ArrayList<>();
      descend(node.repeat(), r, focus, scope, foci);
    } else {
      foci = java.util.Collections.singletonList(focus); // null under an empty forEachOrNull
    }
    List<Object[]> out = new ArrayList<>();
    for (int i = 0; i < foci.size(); i++) {
      Base item = foci.get(i);
      int at = node.iteration() != null || !node.repeat().isEmpty() ? i : index;
      scope.rowIndex(at);
      Object[] row = new Object[columns.size()];
      for (int c = 0; c < node.paths().length; c++) {
        row[node.slots()[c]] = cell(node.columns()[c],
            evaluate(scope, r, item, node.paths()[c], node.columns()[c].name()));
      }
      List<Object[]> rows = List.<Object[]>of(row);
      for (Node nested : node.selects()) {
        rows = product(rows, rows(nested, r, item, scope, at));
      }
      if (!node.union().isEmpty()) {
        List<Object[]> union = new ArrayList<>();
        for (Node branch : node.union()) {
          union.addAll(rows(branch, r, item, scope, at));
        }
        rows = product(rows, union);
      }
      out.addAll(rows);
    }
    return out;
  }

  /** {@code repeat}: each path's results, each followed by its own results, depth first. */
  private void descend(List<ExpressionNode> paths, Resource r, Base focus,
      ViewFunctions.Scope scope, List<Base> into) {
    for (ExpressionNode path : paths) {
      for (Base child : evaluate(scope, r, focus, path, "repeat")) {
        into.add(child);
        descend(paths, r, child, scope, into);
      }
    }
  }

  private Object cell(ViewDefinition.Column column, List<Base> values) {
    if (column.collection()) {
      return List.copyOf(values);
    }
    if (values.size() > 1) {
      throw new ViewException(label, "column '" + column.name() + "'", "the path gave more "
          + "than one value; add first() or declare the column a collection");
    }
    return values.isEmpty() ? null : values.get(0);
  }

  private boolean isTrue(List<Base> values, String at) {
    for (Base v : values) {
      if (!(v instanceof BooleanType)) {
        throw new ViewException(label, at, "the where path gives a " + v.fhirType()
            + ", not a boolean");
      }
    }
    return values.size() == 1 && ((BooleanType) values.get(0)).booleanValue();
  }

  private List<Base> evaluate(ViewFunctions.Scope scope, Resource r, Base focus,
      ExpressionNode path, String at) {
    try {
      return engine.evaluate(scope, r, r, focus, path);
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
    ExpressionNode[] paths = new ExpressionNode[n];
    int[] mine = new int[n];
    for (int i = 0; i < n; i++) {
      paths[i] = parse(s.columns().get(i).path(), at + ".column[" + i + "]");
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
    List<ExpressionNode> repeat = new ArrayList<>();
    for (int i = 0; i < s.repeat().size(); i++) {
      repeat.add(parse(s.repeat().get(i), at + ".repeat[" + i + "]"));
    }
    return new Node(paths, mine, s.columns().toArray(new ViewDefinition.Column[0]),
        iteration == null ? null : parse(iteration, at + (s.forEach() != null ? ".forEach"
            : ".forEachOrNull")),
        s.forEachOrNull() != null, List.copyOf(repeat), List.copyOf(nested), List.copyOf(union));
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
