package org.longitude.views;

import ca.uhn.fhir.context.BaseRuntimeChildDatatypeDefinition;
import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementCompositeDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition.ChildTypeEnum;
import ca.uhn.fhir.context.RuntimeChildChoiceDefinition;
import ca.uhn.fhir.context.RuntimeChildExtension;
import ca.uhn.fhir.context.RuntimeChildResourceBlockDefinition;
import ca.uhn.fhir.context.RuntimeChildResourceDefinition;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Quantity;
import org.longitude.release.References;

/**
 * A resource's JSON tree read with the R4 model's types ({@code FhirContext}'s definitions):
 * each value an {@link Item} that knows its FHIR type, elements found by their FHIRPath names
 * (a choice's too), primitives made into HAPI's values only when asked for. What HAPI's parser
 * would read otherwise than this does throws {@link Unsupported}. Not thread-safe (caches the
 * types' members): one per compiled view.
 */
final class JsonTree {
  /** The resource's JSON is beyond the JSON engine: evaluate it with HAPI's. No stack trace. */
  static final class Unsupported extends RuntimeException {
    static final Unsupported INSTANCE = new Unsupported();

    private Unsupported() {
      super("outside the JSON engine's subset", null, false, false);
    }
  }

  /**
   * A value: a JSON node with its element's definition (and the child's, which makes the HAPI
   * instance: an enumeration's factory), or a value computed on the way (a key, a boolean).
   */
  static final class Item {
    final JsonNode node;
    final BaseRuntimeElementDefinition<?> def;
    final BaseRuntimeChildDefinition child;
    private Base value;

    private Item(JsonNode node, BaseRuntimeElementDefinition<?> def,
        BaseRuntimeChildDefinition child, Base value) {
      this.node = node;
      this.def = def;
      this.child = child;
      this.value = value;
    }

    static Item computed(Base value) {
      return new Item(null, null, null, value);
    }

    /** The value when it was computed (or already made), else null. */
    Base made() {
      return value;
    }

    String type() {
      return value != null ? value.fhirType() : def.getName();
    }

    boolean composite() {
      return value == null && node.isObject();
    }

    /** The value in HAPI's model, as HAPI's parser makes it; primitives only. */
    Base toBase() {
      if (value == null) {
        if (node.isObject()) {
          throw Unsupported.INSTANCE; // a composite cell: HAPI builds it
        }
        try {
          IPrimitiveType<?> p = (IPrimitiveType<?>) def.newInstance(
              child == null ? null : child.getInstanceConstructorArguments());
          p.setValueAsString(node.isNumber() ? node.numberValue().toString() : node.asText());
          value = (Base) p;
        } catch (RuntimeException e) { // a value HAPI's lenient parser would judge itself
          throw Unsupported.INSTANCE;
        }
      }
      return value;
    }
  }

  /**
   * A string member's value, null when absent; {@link Unsupported} when it is not a string or
   * carries an id or extensions ({@code _name}), which HAPI's model reads otherwise.
   */
  static String string(JsonNode object, String name) {
    JsonNode v = object.get(name);
    if (v == null) {
      return null;
    }
    if (!v.isTextual() || object.has("_" + name)) {
      throw Unsupported.INSTANCE;
    }
    return v.textValue();
  }

  /** A resource's id, null when it has none; {@link Unsupported} when it is no FHIR id. */
  static String id(JsonNode resource) {
    String id = string(resource, "id");
    if (id != null && !References.isId(id)) {
      throw Unsupported.INSTANCE;
    }
    return id;
  }

  private static final Set<String> NUMBERS =
      Set.of("integer", "decimal", "positiveInt", "unsignedInt");

  /** A member of a composite type: its JSON keys (several for a choice) and their types. */
  private record Member(boolean choice, Map<String, BaseRuntimeElementDefinition<?>> keys,
      BaseRuntimeChildDefinition child) {}

  private final Map<BaseRuntimeElementDefinition<?>, Map<String, Member>> members =
      new HashMap<>();
  /** Per type, the JSON keys of its elements (a choice's each), with their types. */
  private final Map<BaseRuntimeElementDefinition<?>, Map<String,
      BaseRuntimeElementDefinition<?>>> keys = new HashMap<>();

  /** The resource as the root item. */
  Item root(ObjectNode resource, BaseRuntimeElementDefinition<?> def) {
    return new Item(resource, def, null, null);
  }

  /**
   * The values of an element of the item's, as a path naming it gives them; none when its
   * type does not define the element.
   */
  List<Item> children(Item item, String name) {
    if (!members(item.def).containsKey(name)) {
      return List.of();
    }
    List<Item> out = new ArrayList<>(1);
    children(item, name, out);
    return out;
  }

  void children(Item item, String name, List<Item> out) {
    if (!item.composite()) {
      throw Unsupported.INSTANCE; // a member of a primitive, or of a computed value
    }
    Member m = members(item.def).get(name);
    if (m == null) {
      throw Unsupported.INSTANCE; // not an element of the type (or Element.id...)
    }
    ObjectNode object = (ObjectNode) item.node;
    if (!m.choice()) {
      BaseRuntimeElementDefinition<?> def = m.keys().get(name);
      add(object, name, def, m.child(), out);
      return;
    }
    int found = 0;
    for (Iterator<String> keys = object.fieldNames(); keys.hasNext(); ) {
      String key = keys.next();
      BaseRuntimeElementDefinition<?> def = m.keys().get(key);
      if (def != null) {
        if (++found > 1) {
          throw Unsupported.INSTANCE; // two values of one choice: HAPI keeps one
        }
        add(object, key, def, m.child(), out);
      }
    }
  }

  private static void add(ObjectNode object, String key, BaseRuntimeElementDefinition<?> def,
      BaseRuntimeChildDefinition child, List<Item> out) {
    boolean primitive = isPrimitive(def);
    if (primitive && object.has("_" + key)) {
      throw Unsupported.INSTANCE; // a primitive's id or extensions
    }
    JsonNode value = object.get(key);
    if (value == null) {
      return;
    }
    if (value.isArray()) {
      for (JsonNode v : value) {
        out.add(item(v, def, child, primitive));
      }
    } else {
      out.add(item(value, def, child, primitive));
    }
  }

  private static Item item(JsonNode v, BaseRuntimeElementDefinition<?> def,
      BaseRuntimeChildDefinition child, boolean primitive) {
    boolean fits = primitive ? (NUMBERS.contains(def.getName()) ? v.isNumber()
        : def.getName().equals("boolean") ? v.isBoolean() : v.isTextual())
        : v.isObject() && COMPOSITES.contains(def.getChildType());
    if (!fits) {
      throw Unsupported.INSTANCE; // wrong JSON kind, null, contained resources, narrative
    }
    return new Item(v, def, child, null);
  }

  /** Datatypes, references and a resource's backbone elements; not contained resources. */
  private static final Set<ChildTypeEnum> COMPOSITES = Set.of(ChildTypeEnum.COMPOSITE_DATATYPE,
      ChildTypeEnum.RESOURCE_BLOCK);

  private static boolean isPrimitive(BaseRuntimeElementDefinition<?> def) {
    return def.getChildType() == ChildTypeEnum.PRIMITIVE_DATATYPE
        || def.getChildType() == ChildTypeEnum.ID_DATATYPE;
  }

  private Map<String, Member> members(BaseRuntimeElementDefinition<?> def) {
    return members.computeIfAbsent(def, d -> {
      Map<String, Member> byName = new HashMap<>();
      if (d instanceof BaseRuntimeElementCompositeDefinition<?> composite) {
        for (BaseRuntimeChildDefinition child : composite.getChildren()) {
          if (child instanceof RuntimeChildExtension
              || !(child instanceof RuntimeChildChoiceDefinition
              || child instanceof BaseRuntimeChildDatatypeDefinition
              || child instanceof RuntimeChildResourceBlockDefinition
              || child instanceof RuntimeChildResourceDefinition)) {
            continue; // extensions, contained resources: beyond this engine
          }
          String name = child.getElementName().replace("[x]", "");
          Map<String, BaseRuntimeElementDefinition<?>> keys = new HashMap<>();
          for (String key : child.getValidChildNames()) {
            BaseRuntimeElementDefinition<?> type = child.getChildByName(key);
            if (type != null) {
              keys.put(key, type);
            }
          }
          boolean choice = child instanceof RuntimeChildChoiceDefinition;
          if (choice || keys.containsKey(name)) {
            byName.put(name, new Member(choice, Map.copyOf(keys), child));
          }
        }
      }
      return byName;
    });
  }

  private Map<String, BaseRuntimeElementDefinition<?>> keys(BaseRuntimeElementDefinition<?> def) {
    return keys.computeIfAbsent(def, d -> {
      Map<String, BaseRuntimeElementDefinition<?>> all = new HashMap<>();
      for (Member m : members(d).values()) {
        all.putAll(m.keys());
      }
      return all;
    });
  }

  /**
   * Whether {@code match} accepts the system and code of a Coding or Quantity in the item, as
   * HAPI's model lists them (the elements the types define; extensions are beyond this
   * engine), in document order: the walk stops at the first it accepts, so a walk that accepts
   * none has seen every element.
   */
  boolean anyCoding(Item item, BiPredicate<String, String> match) {
    Class<?> type = item.def.getImplementingClass();
    JsonNode system = item.node.get("system");
    JsonNode code = item.node.get("code");
    if ((Coding.class.isAssignableFrom(type) || Quantity.class.isAssignableFrom(type))
        && system != null && code != null) {
      if (!system.isTextual() || !code.isTextual()) {
        throw Unsupported.INSTANCE;
      }
      if (!system.textValue().isEmpty() && !code.textValue().isEmpty()
          && match.test(system.textValue(), code.textValue())) {
        return true;
      }
    }
    Map<String, BaseRuntimeElementDefinition<?>> known = keys(item.def);
    for (Iterator<Map.Entry<String, JsonNode>> fields = item.node.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      BaseRuntimeElementDefinition<?> def = known.get(field.getKey());
      if (def == null) {
        if (field.getKey().equals("resourceType")) {
          continue;
        }
        throw Unsupported.INSTANCE; // extensions, contained resources, unknown elements
      }
      if (isPrimitive(def) || field.getKey().equals("text")) {
        continue; // no codes in primitives, nor in the narrative
      }
      JsonNode value = field.getValue();
      for (JsonNode v : value.isArray() ? value : List.of(value)) {
        if (anyCoding(item(v, def, null, false), match)) {
          return true;
        }
      }
    }
    return false;
  }

  /** An element HAPI would find empty: only objects without any member of their type. */
  boolean isEmpty(Item item) {
    if (!item.composite()) {
      return false;
    }
    Map<String, BaseRuntimeElementDefinition<?>> known = keys(item.def);
    for (Iterator<String> names = item.node.fieldNames(); names.hasNext(); ) {
      if (known.containsKey(names.next())) {
        return false;
      }
    }
    throw Unsupported.INSTANCE; // {} or only unknown elements: HAPI's own judgement
  }
}
