package org.longitude.views;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementCompositeDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.FhirContext;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.fhirpath.ExpressionNode;
import org.hl7.fhir.r4.fhirpath.FHIRPathUtilityClasses.FHIRConstant;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.StringType;

/**
 * What a FHIRPath expression can return, worked out from its syntax over the R4 model
 * ({@link FhirContext}'s definitions), before any data is read: the elements it reaches
 * (which type holds each, and of which types its values are), or that it computes a
 * boolean, a number, a key or a string. The release rules are checked against this, so a
 * view that would publish a name, an address or an unshifted date is refused before the run.
 *
 * <p>Deliberately partial: a function whose result it cannot tell (resolve(), children(),
 * descendants(), aggregate()...) gives {@link Kind#UNKNOWN} with the reason, and such a
 * column can only be dropped.
 */
final class PathTypes {
  /** What an expression gives. */
  enum Kind { ELEMENTS, BOOLEAN, NUMBER, KEY, STRING, LITERAL, UNKNOWN }

  /**
   * Values of an element: {@code owner.element}, each of type {@code def}. For the view's
   * resource itself, owner and element are null.
   */
  record Element(BaseRuntimeElementDefinition<?> def, String owner, String element) {
    String type() {
      return def.getName();
    }

    /** {@code HumanName.family}, or the type's name for a resource itself. */
    String describe() {
      return owner == null ? type() : owner + "." + element;
    }
  }

  /** A typing result. */
  record Type(Kind kind, Set<Element> elements, String literalType, String why) {
    static Type of(Kind kind) {
      return new Type(kind, Set.of(), null, null);
    }

    static Type elements(Set<Element> elements) {
      return new Type(Kind.ELEMENTS, Set.copyOf(elements), null, null);
    }

    static Type unknown(String why) {
      return new Type(Kind.UNKNOWN, Set.of(), null, why);
    }

    /** Every element's type (or the literal's) is among {@code types}. */
    boolean valuesAreAll(Set<String> types) {
      return kind == Kind.ELEMENTS ? !elements.isEmpty()
          && elements.stream().allMatch(e -> types.contains(e.type()))
          : kind == Kind.LITERAL && types.contains(literalType);
    }
  }

  static final Set<String> NUMBERS =
      Set.of("integer", "decimal", "positiveInt", "unsignedInt", "integer64");
  static final Set<String> DATES = Set.of("date", "dateTime", "instant");
  private static final Set<String> QUANTITIES =
      Set.of("Age", "Count", "Distance", "Duration", "MoneyQuantity", "SimpleQuantity");
  /** Functions that keep (a part of) their focus. */
  private static final Set<String> SAME = Set.of("where", "first", "last", "tail", "skip",
      "take", "single", "distinct", "trace", "lowBoundary", "highBoundary", "abs", "ceiling",
      "floor", "round", "truncate", "sort", "intersect", "exclude");
  private static final Set<String> BOOLEANS = Set.of("exists", "empty", "not", "hasValue",
      "all", "allTrue", "anyTrue", "allFalse", "anyFalse", "isDistinct", "subsetOf",
      "supersetOf", "is", "contains", "startsWith", "endsWith", "matches", "matchesFull",
      "memberOf", "conformsTo", "hasTemplateIdOf", "convertsToBoolean", "convertsToInteger",
      "convertsToString", "convertsToDecimal", "convertsToQuantity", "convertsToDateTime",
      "convertsToDate", "convertsToTime", "toBoolean", "comparable", "htmlChecks",
      "htmlChecks2");
  private static final Set<String> NUMBER_FUNCTIONS = Set.of("count", "length", "indexOf",
      "toInteger", "toDecimal", "sqrt", "exp", "ln", "log", "power", "precision");
  private static final Set<String> STRINGS = Set.of("join", "toString", "substring", "upper",
      "lower", "replace", "replaceMatches", "trim", "split", "toChars", "encode", "decode",
      "escape", "unescape", "type");

  private final FhirContext fhir;
  private final String resource;
  private final Map<String, String> constants;

  /**
   * @param resource the view's resource type
   * @param constants the view's constants: name to FHIR type
   */
  PathTypes(FhirContext fhir, String resource, Map<String, String> constants) {
    this.fhir = fhir;
    this.resource = resource;
    this.constants = constants;
  }

  /** The view's resource itself, the focus of its top-level paths. */
  Set<Element> root() {
    return Set.of(new Element(fhir.getResourceDefinition(resource), null, null));
  }

  /** The type of {@code node} evaluated on values of {@code focus}. */
  Type type(ExpressionNode node, Set<Element> focus) {
    Type t = term(node, focus);
    if (node.getInner() != null) {
      t = t.kind() == Kind.ELEMENTS ? type(node.getInner(), t.elements())
          : after(t, node.getInner());
    }
    if (node.getOperation() != null) {
      t = operation(node.getOperation(), t, node.getOpNext(), focus);
    }
    return t;
  }

  /** A function applied to a computed value: only not() and the like keep it typed. */
  private Type after(Type t, ExpressionNode next) {
    if (next.getKind() == ExpressionNode.Kind.Function && next.getInner() == null
        && next.getOperation() == null) {
      String name = next.getName();
      if (BOOLEANS.contains(name)) {
        return Type.of(Kind.BOOLEAN);
      }
      if (SAME.contains(name)) {
        return t;
      }
      if (NUMBER_FUNCTIONS.contains(name)) {
        return Type.of(Kind.NUMBER);
      }
      if (STRINGS.contains(name)) {
        return Type.of(Kind.STRING);
      }
    }
    return t.kind() == Kind.UNKNOWN ? t : Type.unknown("it continues after a computed value");
  }

  private Type term(ExpressionNode node, Set<Element> focus) {
    return switch (node.getKind()) {
      case Name -> name(node.getName(), focus);
      case Function -> function(node, focus);
      case Constant -> constant(node.getConstant());
      case Group -> type(node.getGroup(), focus);
      case Unary -> Type.of(Kind.NUMBER);
    };
  }

  private Type name(String name, Set<Element> focus) {
    if (name.equals("$this")) {
      return Type.elements(focus);
    }
    if (name.equals(resource) && focus.equals(root())) {
      return Type.elements(focus); // Observation.code: the type name starts the path
    }
    Set<Element> out = new LinkedHashSet<>();
    for (Element e : focus) {
      if (!(e.def() instanceof BaseRuntimeElementCompositeDefinition<?> composite)) {
        continue;
      }
      BaseRuntimeChildDefinition child = composite.getChildByName(name);
      if (child == null) {
        child = composite.getChildByName(name + "[x]");
      }
      if (child == null) {
        continue;
      }
      for (String valid : child.getValidChildNames()) {
        BaseRuntimeElementDefinition<?> def = child.getChildByName(valid);
        if (def != null) {
          out.add(new Element(def, composite.getName(), name));
        }
      }
    }
    if (out.isEmpty()) {
      return Type.unknown("'" + name + "' is not an element of "
          + focus.stream().map(Element::type).distinct().toList());
    }
    return Type.elements(out);
  }

  private Type function(ExpressionNode node, Set<Element> focus) {
    String name = node.getName();
    List<ExpressionNode> params = node.getParameters() == null ? List.of()
        : node.getParameters();
    if (node.getFunction() == ExpressionNode.Function.Item || SAME.contains(name)) {
      return Type.elements(focus);
    }
    if (name.equals("ofType") || name.equals("as")) {
      return ofType(focus, params.isEmpty() ? null : params.get(0).getName());
    }
    if (name.equals(ViewFunctions.RESOURCE_KEY) || name.equals(ViewFunctions.REFERENCE_KEY)) {
      return Type.of(Kind.KEY);
    }
    if (name.equals("extension")) {
      return Type.elements(Set.of(new Element(fhir.getElementDefinition("Extension"),
          focus.isEmpty() ? null : focus.iterator().next().type(), "extension")));
    }
    if (name.equals("select") && params.size() == 1) {
      return type(params.get(0), focus);
    }
    if ((name.equals("union") || name.equals("combine")) && params.size() == 1) {
      return merge(Type.elements(focus), type(params.get(0), root()));
    }
    if (name.equals("iif") && params.size() >= 2) {
      Type a = type(params.get(1), focus);
      return params.size() == 3 ? merge(a, type(params.get(2), focus)) : a;
    }
    if (BOOLEANS.contains(name)) {
      return Type.of(Kind.BOOLEAN);
    }
    if (NUMBER_FUNCTIONS.contains(name)) {
      return Type.of(Kind.NUMBER);
    }
    if (STRINGS.contains(name)) {
      return Type.of(Kind.STRING);
    }
    return Type.unknown("the function " + name + "() gives values this check cannot follow");
  }

  private Type ofType(Set<Element> focus, String typeName) {
    if (typeName == null) {
      return Type.unknown("ofType() needs a type");
    }
    String t = typeName.replaceFirst("^(FHIR|System)\\.", "");
    Set<Element> out = new LinkedHashSet<>();
    for (Element e : focus) {
      if (e.type().equals(t) || (t.equals("Quantity") && QUANTITIES.contains(e.type()))
          || (t.equals("String") && e.type().equals("string"))) {
        out.add(e);
      }
    }
    return out.isEmpty() ? Type.unknown("no value of type " + t + " can be there")
        : Type.elements(out);
  }

  private Type constant(Base constant) {
    if (constant instanceof FHIRConstant c) {
      String name = c.getValue().replaceFirst("^%", "").replace("`", "");
      if (name.equals(ViewFunctions.ROW_INDEX)) {
        return Type.of(Kind.NUMBER);
      }
      if (name.equals("resource") || name.equals("rootResource") || name.equals("context")) {
        return Type.elements(root());
      }
      String type = constants.get(name);
      return type == null ? Type.unknown("unknown constant %" + name) : literal(type);
    }
    if (constant instanceof BooleanType) {
      return Type.of(Kind.BOOLEAN);
    }
    if (constant instanceof IntegerType || constant instanceof DecimalType) {
      return Type.of(Kind.NUMBER);
    }
    return literal(constant instanceof StringType ? "string" : constant.fhirType());
  }

  private static Type literal(String fhirType) {
    if (NUMBERS.contains(fhirType)) {
      return Type.of(Kind.NUMBER);
    }
    if (fhirType.equals("boolean")) {
      return Type.of(Kind.BOOLEAN);
    }
    return new Type(Kind.LITERAL, Set.of(), fhirType, null);
  }

  private Type operation(ExpressionNode.Operation op, Type left, ExpressionNode rightNode,
      Set<Element> focus) {
    return switch (op) {
      case Equals, Equivalent, NotEquals, NotEquivalent, LessThan, Greater, LessOrEqual,
          GreaterOrEqual, Is, Or, And, Xor, Implies, In, Contains, MemberOf ->
          Type.of(Kind.BOOLEAN);
      case As -> left.kind() == Kind.ELEMENTS ? ofType(left.elements(), rightNode.getName())
          : Type.unknown("'as' on a computed value");
      case Union -> merge(left, type(rightNode, focus));
      case Concatenate -> Type.of(Kind.STRING);
      case Times, DivideBy, Div, Mod -> Type.of(Kind.NUMBER);
      case Plus, Minus -> {
        Type right = type(rightNode, focus);
        if (left.valuesAreAll(DATES)) {
          yield left; // a date moved by a quantity is still that date's element
        }
        boolean numeric = (left.kind() == Kind.NUMBER || left.valuesAreAll(NUMBERS))
            && (right.kind() == Kind.NUMBER || right.valuesAreAll(NUMBERS));
        yield numeric ? Type.of(Kind.NUMBER) : Type.of(Kind.STRING);
      }
    };
  }

  private static Type merge(Type a, Type b) {
    if (a.kind() == Kind.ELEMENTS && b.kind() == Kind.ELEMENTS) {
      Set<Element> all = new LinkedHashSet<>(a.elements());
      all.addAll(b.elements());
      return Type.elements(all);
    }
    if (a.kind() == b.kind() && a.kind() != Kind.LITERAL) {
      return a;
    }
    return a.kind() == Kind.UNKNOWN ? a : b.kind() == Kind.UNKNOWN ? b
        : Type.unknown("it mixes values of different kinds");
  }
}
