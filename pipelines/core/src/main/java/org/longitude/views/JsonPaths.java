package org.longitude.views;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.fhirpath.ExpressionNode;
import org.hl7.fhir.r4.fhirpath.ExpressionNode.Function;
import org.hl7.fhir.r4.fhirpath.ExpressionNode.Kind;
import org.hl7.fhir.r4.fhirpath.ExpressionNode.Operation;
import org.hl7.fhir.r4.fhirpath.FHIRPathUtilityClasses.FHIRConstant;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.StringType;
import org.longitude.release.References;
import org.longitude.views.JsonTree.Item;

/**
 * The common subset of a view's FHIRPath, evaluated on the resource's JSON tree instead of
 * HAPI's model: member access (choice elements too), {@code first()}, {@code exists([crit])},
 * {@code where(crit)}, {@code ofType(T)}, {@code getResourceKey()},
 * {@code getReferenceKey([T])}, {@code =} between values and string, boolean or integer
 * literals or the view's constants, {@code and}, {@code or}. It gives what HAPI's engine gives
 * on the parsed resource, value for value ({@code JsonPathsTest} checks both side by side);
 * the tree and its types are read by {@link JsonTree}.
 *
 * <p>Two ways out, both to HAPI's engine: a path outside the subset is not compiled
 * ({@link #compile} returns null, and the view runs on the model), and a resource whose JSON
 * this engine does not read as HAPI would (a primitive's extension, a value of the wrong JSON
 * kind, an element the type does not define...) throws {@link JsonTree.Unsupported}, and that
 * resource alone is parsed and evaluated by HAPI.
 */
final class JsonPaths {
  /** A compiled path. */
  interface Path {
    /**
     * @param root the resource
     * @param focus the collection the path starts from
     * @param scope the view's constants and {@code %rowIndex}
     */
    List<Item> evaluate(Item root, List<Item> focus, ViewFunctions.Scope scope);
  }

  /** Subtypes of the types {@code ofType} can name, as {@link FhirPaths} declares them. */
  private static final Map<String, Set<String>> SUBTYPES = Map.of(
      "string", Set.of("code", "id", "markdown"),
      "integer", Set.of("positiveInt", "unsignedInt"),
      "uri", Set.of("url", "canonical", "oid", "uuid"),
      "Quantity", Set.of("Age", "Count", "Distance", "Duration", "MoneyQuantity",
          "SimpleQuantity"));
  private static final Set<String> ABSTRACT =
      Set.of("Element", "BackboneElement", "Resource", "DomainResource");
  /** Constants HAPI's engine defines itself, whatever the view says. */
  private static final Map<String, Base> BUILT_IN = Map.of(
      "sct", new StringType("http://snomed.info/sct"),
      "loinc", new StringType("http://loinc.org"),
      "ucum", new StringType("http://unitsofmeasure.org"));
  private static final Set<String> HAPI_CONSTANTS =
      Set.of("resource", "rootResource", "context", "us-zip");

  private final JsonTree tree;

  /** Paths over resources read by {@code tree}. */
  JsonPaths(JsonTree tree) {
    this.tree = tree;
  }

  /**
   * Compiles a parsed path, or returns null when it is outside the subset.
   *
   * @param constants the names of the view's constants
   */
  Path compile(ExpressionNode node, Set<String> constants) {
    try {
      return chain(node, true, constants);
    } catch (Refused e) {
      return null;
    }
  }

  /** A path outside the subset, found while compiling. */
  private static final class Refused extends Exception {
    Refused() {
      super(null, null, false, false);
    }
  }

  /**
   * A node with what follows it: the node itself, its {@code inner} chain, then its
   * operations left to right, each operand evaluated on the node's own focus (as HAPI's
   * engine does once the parser has ordered them by precedence).
   */
  private Path chain(ExpressionNode node, boolean atEntry, Set<String> constants)
      throws Refused {
    Path value = operand(node, atEntry, constants);
    if (node.getOperation() == null) {
      return value;
    }
    Path result = value;
    ExpressionNode last = node;
    for (ExpressionNode next = node.getOpNext(); next != null; next = next.getOpNext()) {
      Path left = result;
      Path right = operand(next, true, constants);
      result = switch (last.getOperation()) {
        case Equals -> (root, focus, c) -> equal(left.evaluate(root, focus, c),
            right.evaluate(root, focus, c));
        case And -> logic(left, right, true, last, next);
        case Or -> logic(left, right, false, last, next);
        default -> throw new Refused();
      };
      last = next;
    }
    return result;
  }

  /** A node and its inner chain, without its operations (they belong to the chain). */
  private Path operand(ExpressionNode node, boolean atEntry, Set<String> constants)
      throws Refused {
    Path self = step(node, atEntry, constants);
    Path inner = node.getInner() == null ? null : chain(node.getInner(), false, constants);
    return inner == null ? self
        : (root, focus, c) -> inner.evaluate(root, self.evaluate(root, focus, c), c);
  }

  /** {@code and} / {@code or} over two boolean expressions, in three-valued logic. */
  private Path logic(Path left, Path right, boolean and, ExpressionNode l, ExpressionNode r)
      throws Refused {
    if (!isBoolean(l) || !isBoolean(r)) {
      throw new Refused(); // HAPI's truth of other values is its own
    }
    return (root, focus, c) -> {
      Boolean a = truth(left.evaluate(root, focus, c));
      if (a != null && a != and) {
        return bool(a); // false and ..., true or ...
      }
      Boolean b = truth(right.evaluate(root, focus, c));
      if (b != null && b != and) {
        return bool(b);
      }
      return a == null || b == null ? List.of() : bool(and);
    };
  }

  /** Whether a node (without its operations) gives a boolean: =, exists(), a literal. */
  private static boolean isBoolean(ExpressionNode n) {
    ExpressionNode last = n;
    while (last.getInner() != null) {
      last = last.getInner();
    }
    if (n.getOperation() != null && n.getOperation() != Operation.And
        && n.getOperation() != Operation.Or && n.getOperation() != Operation.Equals) {
      return false;
    }
    return switch (last.getKind()) {
      case Function -> last.getFunction() == Function.Exists;
      case Constant -> last == n && n.getConstant() instanceof BooleanType;
      case Group -> last == n && isBooleanChain(n.getGroup());
      default -> false;
    };
  }

  /** A chain of operations that gives a boolean: its last operator decides. */
  private static boolean isBooleanChain(ExpressionNode n) {
    Operation op = null;
    for (ExpressionNode m = n; m != null && m.getOperation() != null; m = m.getOpNext()) {
      op = m.getOperation();
    }
    return op == Operation.Equals || op == Operation.And || op == Operation.Or
        || (op == null && isBoolean(n));
  }

  private Path step(ExpressionNode node, boolean atEntry, Set<String> constants)
      throws Refused {
    return switch (node.getKind()) {
      case Name -> member(node.getName(), atEntry);
      case Function -> function(node, constants);
      case Constant -> constant(node, constants);
      case Group -> chain(node.getGroup(), atEntry, constants);
      default -> throw new Refused();
    };
  }

  private Path member(String name, boolean atEntry) throws Refused {
    if (name.startsWith("$") || (atEntry && Character.isUpperCase(name.charAt(0)))) {
      throw new Refused(); // $this, $index; a type name at the start
    }
    return (root, focus, c) -> {
      List<Item> out = new ArrayList<>(2);
      for (Item item : focus) {
        tree.children(item, name, out);
      }
      return out;
    };
  }

  private Path constant(ExpressionNode node, Set<String> constants) throws Refused {
    if (node.getConstant() instanceof FHIRConstant fc && fc.getValue().startsWith("%")) {
      String name = fc.getValue().substring(1).replace("`", "");
      Base builtIn = BUILT_IN.get(name);
      if (builtIn != null) { // HAPI's engine answers these before asking the view
        List<Item> value = List.of(Item.computed(builtIn));
        return (root, focus, c) -> value;
      }
      if (HAPI_CONSTANTS.contains(name) || name.startsWith("vs-") || name.startsWith("cs-")
          || name.startsWith("ext-")
          || (!name.equals(ViewFunctions.ROW_INDEX) && !constants.contains(name))) {
        throw new Refused(); // %resource, %context, terminology
      }
      return (root, focus, c) -> {
        List<Base> values = c.constant(name);
        List<Item> out = new ArrayList<>(values.size());
        for (Base v : values) {
          out.add(Item.computed(v));
        }
        return out;
      };
    }
    Base literal = node.getConstant();
    if (!(literal instanceof StringType || literal instanceof BooleanType
        || literal instanceof IntegerType)) {
      throw new Refused(); // dates, quantities, decimals: HAPI compares them its own way
    }
    List<Item> value = List.of(Item.computed(literal));
    return (root, focus, c) -> value;
  }

  private Path function(ExpressionNode node, Set<String> constants) throws Refused {
    List<ExpressionNode> params = node.getParameters();
    if (node.getFunction() == Function.Custom) {
      if (node.getName().equals(ViewFunctions.RESOURCE_KEY) && params.isEmpty()) {
        return (root, focus, c) -> {
          List<Item> out = new ArrayList<>(1);
          for (Item item : focus) {
            resourceKey(root, item, out);
          }
          return out;
        };
      }
      if (node.getName().equals(ViewFunctions.REFERENCE_KEY) && params.size() <= 1) {
        String type = params.isEmpty() ? null : typeName(params.get(0));
        return (root, focus, c) -> {
          List<Item> out = new ArrayList<>(1);
          for (Item item : focus) {
            referenceKey(item, type, out);
          }
          return out;
        };
      }
      throw new Refused();
    }
    if (node.getFunction() == null) {
      throw new Refused();
    }
    return switch (node.getFunction()) {
      case First -> {
        if (!params.isEmpty()) {
          throw new Refused();
        }
        yield (root, focus, c) -> focus.isEmpty() ? focus : List.of(focus.get(0));
      }
      case Exists -> {
        if (params.isEmpty()) {
          yield (root, focus, c) -> {
            boolean empty = true;
            for (Item item : focus) {
              empty &= tree.isEmpty(item);
            }
            return bool(!empty);
          };
        }
        Path criteria = criteria(params, constants);
        yield (root, focus, c) -> bool(!matching(criteria, root, focus, c).isEmpty());
      }
      case Where -> {
        Path criteria = criteria(params, constants);
        yield (root, focus, c) -> matching(criteria, root, focus, c);
      }
      case OfType -> {
        if (params.size() != 1) {
          throw new Refused();
        }
        String type = typeName(params.get(0));
        yield (root, focus, c) -> {
          List<Item> out = new ArrayList<>(focus.size());
          for (Item item : focus) {
            if (isOfType(item, type)) {
              out.add(item);
            }
          }
          return out;
        };
      }
      default -> throw new Refused();
    };
  }

  private Path criteria(List<ExpressionNode> params, Set<String> constants) throws Refused {
    if (params.size() != 1 || !isBooleanChain(params.get(0))) {
      throw new Refused();
    }
    return chain(params.get(0), true, constants);
  }

  private static String typeName(ExpressionNode param) throws Refused {
    if (param.getKind() != Kind.Name || param.getInner() != null
        || param.getOperation() != null) {
      throw new Refused(); // FHIR.Patient, System.String...
    }
    return param.getName();
  }

  /** The items for which the criteria are true, each evaluated on the item alone. */
  private static List<Item> matching(Path criteria, Item root, List<Item> focus,
      ViewFunctions.Scope c) {
    List<Item> out = new ArrayList<>(focus.size());
    for (Item item : focus) {
      if (Boolean.TRUE.equals(truth(criteria.evaluate(root, List.of(item), c)))) {
        out.add(item);
      }
    }
    return out;
  }

  private static boolean isOfType(Item item, String type) {
    String actual = item.type();
    if (actual.equals(type)) {
      return true;
    }
    if (SUBTYPES.getOrDefault(type, Set.of()).contains(actual) || ABSTRACT.contains(type)
        || actual.equalsIgnoreCase(type)) {
      throw JsonTree.Unsupported.INSTANCE; // type hierarchy and case: HAPI's engine decides
    }
    return false;
  }

  private static void resourceKey(Item root, Item focus, List<Item> out) {
    if (focus != root) {
      throw JsonTree.Unsupported.INSTANCE; // a contained or other resource
    }
    String id = JsonTree.id(root.node);
    if (id != null) {
      out.add(Item.computed(new StringType(root.def.getName() + "/" + id)));
    }
  }

  private static void referenceKey(Item focus, String type, List<Item> out) {
    if (!focus.composite() || !focus.def.getName().equals("Reference")) {
      return;
    }
    String reference = JsonTree.string(focus.node, "reference");
    if (reference == null) {
      return;
    }
    References.Key key = References.parse(reference);
    if (key != null && (type == null || type.equals(key.type()))) {
      out.add(Item.computed(new StringType(key.type() + "/" + key.id())));
    }
  }

  /** {@code =}: empty when a side is; element by element otherwise, as HAPI's engine. */
  private static List<Item> equal(List<Item> left, List<Item> right) {
    if (left.isEmpty() || right.isEmpty()) {
      return List.of();
    }
    if (left.size() != right.size()) {
      return bool(false);
    }
    for (int i = 0; i < left.size(); i++) {
      Base l = left.get(i).toBase();
      Base r = right.get(i).toBase();
      if (l instanceof Quantity || r instanceof Quantity || l instanceof DecimalType
          || r instanceof DecimalType || (l.isDateTime() && r.isDateTime())
          || !l.isPrimitive() || !r.isPrimitive()) {
        throw JsonTree.Unsupported.INSTANCE; // HAPI compares these by value, not by text
      }
      if (!java.util.Objects.equals(l.primitiveValue(), r.primitiveValue())) {
        return bool(false);
      }
    }
    return bool(true);
  }

  /** A boolean result's truth: null when empty (the operand must give a boolean). */
  private static Boolean truth(List<Item> values) {
    if (values.isEmpty()) {
      return null;
    }
    if (values.size() == 1 && values.get(0).made() instanceof BooleanType b) {
      return b.booleanValue();
    }
    throw JsonTree.Unsupported.INSTANCE;
  }

  private static List<Item> bool(boolean b) {
    return List.of(Item.computed(new BooleanType(b)));
  }
}
