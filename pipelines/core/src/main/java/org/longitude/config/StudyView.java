package org.longitude.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A study-defined variable table: a SQL on FHIR ViewDefinition and, for each of its columns,
 * the rule under which its values may leave the restricted zone ({@code views} in the study
 * YAML). The view's text is kept as read; {@code org.longitude.views} checks and runs it.
 *
 * @param name the view's {@code name}: its table is {@code research/views/<name>/}
 * @param source where the view was read from (for messages)
 * @param json the ViewDefinition's JSON text
 * @param columns each column's release rule, by column name, in the file's order
 * @param codes Observation codes ({@code system|code}) the view reads; pulled for it, and
 *     the only Observations it sees
 */
public record StudyView(String name, String source, String json, Map<String, Release> columns,
    List<String> codes) implements Serializable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The resource type the view reads ({@code resource}), or null when the text names none
   * (the view's check then refuses it with a message).
   */
  public String resourceType() {
    try {
      JsonNode resource = JSON.readTree(json).path("resource");
      return resource.isTextual() ? resource.asText() : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** How a column's values are released. */
  public enum Rule {
    /** Resource ids and references, as keyed pseudonyms (HMAC with the study key). */
    PSEUDONYM,
    /** Dates, shifted by the participant's own shift (years only in Safe Harbor mode). */
    SHIFT_DATE,
    /** Ages in years, capped as the participants table's ages are. */
    AGE,
    /** Codes of the declared code systems. */
    CODE,
    /** Numbers. */
    NUMBER,
    /** Evaluated, never published. */
    DROP;

    /** The rule's name as written in the YAML. */
    public String yamlName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * A column's rule; {@code systems} are the code systems a {@code code} column's values
   * must belong to (empty for other rules). Written as the rule's name, or as
   * {@code {rule: code, systems: [...]}}.
   */
  public record Release(Rule rule, List<String> systems) implements Serializable {
    @JsonCreator
    public static Release parse(JsonNode node) {
      if (node.isTextual()) {
        return new Release(rule(node.asText()), List.of());
      }
      if (!node.isObject() || !node.path("rule").isTextual()) {
        throw new IllegalArgumentException("a column's release is a rule name (pseudonym, "
            + "shift_date, age, code, number, drop) or {rule: code, systems: [...]}");
      }
      List<String> systems = new ArrayList<>();
      node.path("systems").forEach(s -> systems.add(s.asText()));
      node.fieldNames().forEachRemaining(f -> {
        if (!f.equals("rule") && !f.equals("systems")) {
          throw new IllegalArgumentException("unknown key '" + f + "' in a column's release "
              + "(known: rule, systems)");
        }
      });
      return new Release(rule(node.get("rule").asText()), List.copyOf(systems));
    }

    private static Rule rule(String text) {
      try {
        return Rule.valueOf(text.toUpperCase(Locale.ROOT).replace('-', '_'));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown rule '" + text + "'; use pseudonym, "
            + "shift_date, age, code, number or drop");
      }
    }
  }
}
