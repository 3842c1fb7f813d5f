package org.longitude.views;

import ca.uhn.fhir.context.BaseRuntimeElementCompositeDefinition;
import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.longitude.config.DeidRules;
import org.longitude.config.StudyView.Rule;
import org.longitude.config.StudyView;
import org.longitude.release.ViewColumn;
import org.longitude.views.PathTypes.Element;
import org.longitude.views.PathTypes.Kind;
import org.longitude.views.PathTypes.Type;

/**
 * Decides, before any data is read, whether a study's view may run: it must be a view the
 * engine can run, over a resource Longitude pulls that belongs to a participant, and every
 * column must have a release rule its path can satisfy. What the path reaches is worked out
 * from the R4 model ({@link PathTypes}): names, addresses, telecom, identifiers, notes,
 * narrative and other free text are never released; dates only shifted; ids and references
 * only as pseudonyms. Values are checked again when the rows are released ({@link
 * org.longitude.release.ViewRows}), since a path's static type cannot tell a code from any
 * string.
 */
public final class ReleaseCheck {
  /** Types whose elements are never released, whatever the rule. */
  private static final Set<String> NEVER = Set.of("HumanName", "Address", "ContactPoint",
      "Identifier", "Annotation", "Narrative", "Attachment", "Signature");
  private static final Set<String> CODES = Set.of("code", "Coding", "boolean");
  private static final Set<String> INTEGERS = Set.of("integer", "positiveInt", "unsignedInt",
      "integer64");
  private static final Set<String> FIXED = Set.of("participant_id", "clinic", "run_id");
  private static final Pattern TABLE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
  private static final Pattern CODED = Pattern.compile("[^|\\s]+\\|[^|\\s]+");
  private static final ObjectMapper JSON = new ObjectMapper();

  private ReleaseCheck() {}

  /**
   * Checks a study's view and works out how each column is released.
   *
   * @throws ViewException naming the view, the column (or the view's part) and the reason
   */
  public static ReleasedView check(StudyView study, DeidRules deid, FhirContext fhir) {
    JsonNode json;
    try {
      json = JSON.readTree(study.json());
    } catch (IOException e) {
      throw new ViewException(study.name(), "", "the file is not JSON");
    }
    ViewDefinition view = ViewDefinition.parse(json, study.name());
    String name = view.name();
    if (name == null || !TABLE_NAME.matcher(name).matches()) {
      throw new ViewException(view.label(study.name()), "name", "a study's view needs a "
          + "name of lower-case letters, digits and '_' (it names the table views/<name>/)");
    }
    CompiledView compiled = CompiledView.compile(view, name, fhir);
    String resource = view.resource();
    if (resource == null || !fhir.getResourceTypes().contains(resource)) {
      throw new ViewException(name, "resource", resource + " is not an R4 resource type");
    }
    String participantPath = participantPath(fhir, resource);
    if (participantPath == null) {
      throw new ViewException(name, "resource", resource + " has no subject or patient: its "
          + "rows could not be tied to a participant");
    }
    for (String code : study.codes()) {
      if (!resource.equals("Observation") || !CODED.matcher(code).matches()) {
        throw new ViewException(name, "codes", "codes narrow an Observation view to "
            + "system|code values, e.g. http://loinc.org|8480-6");
      }
    }
    Map<String, ViewDefinition.Column> byName = new HashMap<>();
    view.columns().forEach(c -> byName.put(c.name(), c));
    for (String ruled : study.columns().keySet()) {
      if (!byName.containsKey(ruled)) {
        throw new ViewException(name, "column '" + ruled + "'", "a release rule names a "
            + "column the view does not have (it has " + byName.keySet() + ")");
      }
    }
    Map<String, Type> types = new HashMap<>();
    Map<String, String> constants = new HashMap<>();
    view.constants().forEach(c -> constants.put(c.name(), c.type()));
    PathTypes typing = new PathTypes(fhir, resource, constants);
    for (ViewDefinition.Select s : view.select()) {
      typeColumns(s, typing.root(), typing, compiled, types);
    }
    List<ViewColumn> columns = new ArrayList<>();
    for (ViewDefinition.Column c : view.columns()) {
      StudyView.Release release = study.columns().get(c.name());
      String at = "column '" + c.name() + "'";
      if (release == null) {
        throw new ViewException(name, at, "the column has no release rule; give it one of "
            + "pseudonym, shift_date, age, code, number or drop");
      }
      columns.add(column(name, c, release, types.get(c.name()), deid));
    }
    List<ViewColumn> released = columns.stream()
        .filter(ViewColumn::released).toList();
    if (released.isEmpty()) {
      throw new ViewException(name, "", "every column is dropped: the table would be empty");
    }
    return new ReleasedView(name, view, List.copyOf(columns), List.copyOf(study.codes()),
        participantPath, schema(name, released, deid));
  }

  /** The path to the participant's key: the Patient itself, or its subject or patient. */
  private static String participantPath(FhirContext fhir, String resource) {
    if (resource.equals("Patient")) {
      return ViewFunctions.RESOURCE_KEY + "()";
    }
    BaseRuntimeElementCompositeDefinition<?> def = fhir.getResourceDefinition(resource);
    for (String element : List.of("subject", "patient")) {
      if (def.getChildByName(element) != null) {
        return element + "." + ViewFunctions.REFERENCE_KEY + "(Patient)";
      }
    }
    return null;
  }

  /** Types each column on its select's focus (the items of forEach, repeat, ...). */
  private static void typeColumns(ViewDefinition.Select s, Set<Element> parent, PathTypes typing,
      CompiledView compiled, Map<String, Type> into) {
    Set<Element> focus = parent;
    Type focusType = null;
    if (s.iteration() != null) {
      focusType = typing.type(compiled.parse(s.iteration(), "forEach"), parent);
    } else if (!s.repeat().isEmpty()) {
      focusType = repeated(s.repeat(), parent, typing, compiled);
    }
    if (focusType != null) {
      focus = focusType.kind() == Kind.ELEMENTS ? focusType.elements() : Set.of();
    }
    for (ViewDefinition.Column c : s.columns()) {
      into.put(c.name(), focusType != null && focusType.kind() != Kind.ELEMENTS
          ? Type.unknown("its forEach or repeat path gives no elements this check can follow")
          : typing.type(compiled.parse(c.path(), "column '" + c.name() + "'"), focus));
    }
    for (ViewDefinition.Select nested : s.selects()) {
      typeColumns(nested, focus, typing, compiled, into);
    }
    Map<String, Type> branches = new HashMap<>();
    for (ViewDefinition.Select branch : s.unionAll()) {
      Map<String, Type> one = new HashMap<>();
      typeColumns(branch, focus, typing, compiled, one);
      one.forEach((column, type) -> branches.merge(column, type, ReleaseCheck::either));
    }
    into.putAll(branches);
  }

  /** A union column takes either branch's values: a rule must suit both. */
  private static Type either(Type a, Type b) {
    if (a.kind() == Kind.ELEMENTS && b.kind() == Kind.ELEMENTS) {
      Set<Element> all = new LinkedHashSet<>(a.elements());
      all.addAll(b.elements());
      return Type.elements(all);
    }
    return a.kind() == b.kind() && a.kind() != Kind.LITERAL ? a
        : Type.unknown("its unionAll branches give different kinds of values");
  }

  /** The items a repeat reaches at any depth: its paths applied until no new type appears. */
  private static Type repeated(List<String> paths, Set<Element> parent, PathTypes typing,
      CompiledView compiled) {
    Set<Element> all = new LinkedHashSet<>();
    Set<Element> frontier = parent;
    while (!frontier.isEmpty()) {
      Set<Element> next = new LinkedHashSet<>();
      for (String path : paths) {
        Type t = typing.type(compiled.parse(path, "repeat"), frontier);
        if (t.kind() == Kind.ELEMENTS) {
          t.elements().stream().filter(all::add).forEach(next::add);
        }
      }
      frontier = next;
    }
    return all.isEmpty() ? Type.unknown("the repeat paths reach nothing")
        : Type.elements(all);
  }

  private static ViewColumn column(String view, ViewDefinition.Column c,
      StudyView.Release release, Type type, DeidRules deid) {
    Rule rule = release.rule();
    String at = "column '" + c.name() + "' (rule " + rule.yamlName() + ")";
    if (FIXED.contains(c.name())) {
      throw new ViewException(view, at, "the name is taken by a column every view table has "
          + FIXED + "; rename the column");
    }
    if (rule == Rule.DROP) {
      return new ViewColumn(c.name(), c.path(), rule, List.of(),
          ViewColumn.Output.STRING, null);
    }
    if (c.collection()) {
      throw new ViewException(view, at, "collection columns are not released; use first(), "
          + "a forEach, or drop the column");
    }
    for (Element e : type.elements()) {
      if (NEVER.contains(e.type()) || (e.owner() != null && NEVER.contains(e.owner()))) {
        throw new ViewException(view, at, c.path() + " reaches " + e.describe() + " (a "
            + e.type() + "): names, addresses, telecom, identifiers, notes and other free "
            + "text are never released; drop the column");
      }
    }
    if (rule == Rule.CODE && release.systems().isEmpty() && !isBoolean(type)) {
      throw new ViewException(view, at, "declare the code systems its values come from: "
          + "{rule: code, systems: [...]}");
    }
    if (rule != Rule.CODE && !release.systems().isEmpty()) {
      throw new ViewException(view, at, "systems apply to rule code only");
    }
    ViewColumn.Output output = output(rule, type, c, deid);
    if (output == null) {
      throw new ViewException(view, at, refusal(c.path(), rule, type));
    }
    String idOf = rule == Rule.PSEUDONYM && type.kind() == Kind.ELEMENTS
        && type.elements().stream().allMatch(e -> "id".equals(e.element())
            && e.type().equals("id")) ? type.elements().iterator().next().owner() : null;
    return new ViewColumn(c.name(), c.path(), rule, release.systems(), output, idOf);
  }

  /** What the rule makes of this path's values, or null when it cannot release them. */
  private static ViewColumn.Output output(Rule rule, Type type, ViewDefinition.Column c,
      DeidRules deid) {
    return switch (rule) {
      case PSEUDONYM -> type.kind() == Kind.KEY || (type.kind() == Kind.ELEMENTS
          && type.elements().stream().allMatch(ReleaseCheck::isIdOrReference))
          ? ViewColumn.Output.STRING : null;
      case SHIFT_DATE -> type.kind() == Kind.ELEMENTS && type.valuesAreAll(PathTypes.DATES)
          ? (deid.dateMode() == DeidRules.DateMode.YEAR_ONLY ? ViewColumn.Output.INT
              : ViewColumn.Output.DATE) : null;
      case AGE -> isNumber(type) ? ViewColumn.Output.INT : null;
      case CODE -> isBoolean(type) ? ViewColumn.Output.BOOLEAN
          : type.kind() == Kind.ELEMENTS && type.valuesAreAll(CODES)
              && type.elements().stream().noneMatch(e -> e.type().equals("boolean"))
              ? ViewColumn.Output.STRING : null;
      case NUMBER -> !isNumber(type) ? null
          : c.type() != null ? INTEGERS.contains(c.type()) ? ViewColumn.Output.LONG
              : ViewColumn.Output.DOUBLE
          : type.valuesAreAll(INTEGERS)
              ? ViewColumn.Output.LONG : ViewColumn.Output.DOUBLE;
      case DROP -> ViewColumn.Output.STRING;
    };
  }

  private static boolean isIdOrReference(Element e) {
    return (e.element() != null && e.element().equals("id") && e.type().equals("id"))
        || ("Reference".equals(e.owner()) && "reference".equals(e.element()))
        || e.type().equals("Reference");
  }

  private static boolean isNumber(Type t) {
    return t.kind() == Kind.NUMBER || (t.kind() == Kind.ELEMENTS
        && t.valuesAreAll(PathTypes.NUMBERS));
  }

  private static boolean isBoolean(Type t) {
    return t.kind() == Kind.BOOLEAN || (t.kind() == Kind.ELEMENTS
        && t.valuesAreAll(Set.of("boolean")));
  }

  /** Why a rule cannot release a path's values: what they are, never what they hold. */
  private static String refusal(String path, Rule rule, Type type) {
    String what = switch (type.kind()) {
      case UNKNOWN -> "this check cannot tell what " + path + " gives (" + type.why() + ")";
      case STRING -> path + " computes a string (text), which is never released";
      case LITERAL -> path + " is a literal " + type.literalType() + ", not data to release";
      case BOOLEAN -> path + " gives a boolean (release it under rule code)";
      case NUMBER -> path + " gives a number (release it under rule number or age)";
      case KEY -> path + " gives a resource key (release it under rule pseudonym)";
      case ELEMENTS -> path + " reaches " + type.elements().stream()
          .map(e -> e.describe() + " (" + e.type() + ")").distinct().toList();
    };
    boolean dates = type.kind() == Kind.ELEMENTS && type.elements().stream().anyMatch(e ->
        PathTypes.DATES.contains(e.type()) || Set.of("Period", "Timing").contains(e.type()));
    String hint = dates ? "; dates are released only under shift_date, never as they are"
        : type.kind() == Kind.ELEMENTS && type.elements().stream()
            .anyMatch(e -> Set.of("string", "markdown", "uri", "url").contains(e.type()))
            ? "; free text is never released" : "";
    return what + ", which rule " + rule.yamlName() + " does not release" + hint;
  }

  /** The table's Avro schema: participant, clinic, the released columns, run. */
  static String schema(String name, List<ViewColumn> columns, DeidRules deid) {
    ObjectNode schema = JSON.createObjectNode();
    schema.put("type", "record").put("name", "view_" + name)
        .put("namespace", "org.longitude.views")
        .put("doc", "Study view " + name + ": one row per row of the ViewDefinition, "
            + "de-identified column by column.");
    ArrayNode fields = schema.putArray("fields");
    field(fields, "participant_id", JSON.getNodeFactory().textNode("string"),
        "Pseudonymous participant id, as in the participants table.");
    field(fields, "clinic", JSON.getNodeFactory().textNode("string"), "Clinic id.");
    for (ViewColumn c : columns) {
      ArrayNode type = JSON.createArrayNode().add("null");
      switch (c.output()) {
        case STRING -> type.add("string");
        case BOOLEAN -> type.add("boolean");
        case LONG -> type.add("long");
        case DOUBLE -> type.add("double");
        case INT -> type.add("int");
        case DATE -> type.addObject().put("type", "int").put("logicalType", "date");
      }
      String what = switch (c.rule()) {
        case PSEUDONYM -> "keyed pseudonym (HMAC-SHA256 under the study key)";
        case SHIFT_DATE -> deid.dateMode() == DeidRules.DateMode.YEAR_ONLY
            ? "year of the date shifted by the participant's shift"
            : "day shifted by the participant's shift";
        case AGE -> "age in whole years, " + deid.ageCap() + " meaning " + deid.ageCap()
            + " or over";
        case CODE -> c.output() == ViewColumn.Output.BOOLEAN ? "boolean"
            : "code of " + c.systems();
        case NUMBER -> "number";
        case DROP -> "";
      };
      ObjectNode f = field(fields, c.name(), type, c.path() + ": " + what + ".");
      f.putNull("default");
    }
    field(fields, "run_id", JSON.getNodeFactory().textNode("string"),
        "Identifier of the run that produced this row.");
    return schema.toString();
  }

  private static ObjectNode field(ArrayNode fields, String name, JsonNode type, String doc) {
    ObjectNode f = fields.addObject();
    f.put("name", name);
    f.set("type", type);
    f.put("doc", doc);
    return f;
  }
}
