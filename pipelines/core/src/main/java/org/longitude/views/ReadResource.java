package org.longitude.views;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Resource;
import org.longitude.common.RecordVersion;
import org.longitude.release.References;

/**
 * What the views stage reads of one resource besides its rows: id, version, whether it
 * retracts itself, its codes. Read from HAPI's model ({@link #of(Resource, CompiledView)}) or,
 * for a view that {@link CompiledView#runsOnJson runs on JSON}, from the JSON tree
 * ({@link #of(ObjectNode, CompiledView, JsonPaths)}), which reads the same values or throws
 * {@link JsonPaths.Unsupported}.
 */
abstract class ReadResource {
  private final CompiledView.Input input;
  private Set<String> codes;

  private ReadResource(CompiledView.Input input) {
    this.input = input;
  }

  static ReadResource of(Resource r, CompiledView view) {
    return new Model(r, view.input(r));
  }

  static ReadResource of(ObjectNode r, CompiledView view, JsonPaths paths) {
    return new Json(r, view.jsonInput(r), paths);
  }

  /** The resource as its view reads it. */
  final CompiledView.Input input() {
    return input;
  }

  /** Its id, or null when it has none. */
  abstract String id();

  abstract RecordVersion version();

  /**
   * Whether the resource retracts itself: status {@code entered-in-error}, or for a Condition
   * its verificationStatus (as the normalize stage reads them).
   */
  abstract boolean retracted();

  /** Whether an Observation carries one of {@code codes} ({@code system|code}); others do. */
  abstract boolean hasCode(List<String> codes);

  /** The {@code system|code} of every Coding and Quantity in the resource. */
  final Set<String> codes() {
    if (codes == null) {
      codes = new HashSet<>();
      collectCodes(codes);
    }
    return codes;
  }

  abstract void collectCodes(Set<String> into);

  private static final String RETRACTED = "entered-in-error";

  private static final class Model extends ReadResource {
    private final Resource r;

    Model(Resource r, CompiledView.Input input) {
      super(input);
      this.r = r;
    }

    @Override
    String id() {
      return r.hasIdElement() ? r.getIdElement().getIdPart() : null;
    }

    @Override
    RecordVersion version() {
      return RecordVersion.of(r.getMeta().getVersionId(), r.getMeta().getLastUpdated() == null
          ? 0 : r.getMeta().getLastUpdated().getTime());
    }

    @Override
    boolean retracted() {
      if (r instanceof Condition c) {
        return c.getVerificationStatus().getCoding().stream()
            .anyMatch(coding -> RETRACTED.equals(coding.getCode()));
      }
      Property status = r.getNamedProperty("status");
      Base value = status == null ? null : status.getValues().stream().findFirst().orElse(null);
      return value != null && RETRACTED.equals(value.primitiveValue());
    }

    @Override
    boolean hasCode(List<String> codes) {
      if (codes.isEmpty() || !(r instanceof Observation o)) {
        return true;
      }
      CodeableConcept code = o.getCode();
      for (Coding c : code.getCoding()) {
        if (codes.contains(c.getSystem() + "|" + c.getCode())) {
          return true;
        }
      }
      return false;
    }

    @Override
    void collectCodes(Set<String> into) {
      collect(r, into);
    }

    private static void collect(Base node, Set<String> into) {
      if (node instanceof Coding c && c.hasSystem() && c.hasCode()) {
        into.add(c.getSystem() + "|" + c.getCode());
      } else if (node instanceof Quantity q && q.hasSystem() && q.hasCode()) {
        into.add(q.getSystem() + "|" + q.getCode());
      }
      for (Property p : node.children()) {
        for (Base child : p.getValues()) {
          if (child != null && !child.isPrimitive()) {
            collect(child, into);
          }
        }
      }
    }
  }

  private static final class Json extends ReadResource {
    private final ObjectNode r;
    private final JsonPaths paths;
    private final String type;

    Json(ObjectNode r, CompiledView.Input input, JsonPaths paths) {
      super(input);
      this.r = r;
      this.paths = paths;
      this.type = input.jsonRoot().type();
    }

    @Override
    String id() {
      JsonNode id = r.get("id");
      if (id == null) {
        return null;
      }
      if (!id.isTextual() || !References.isId(id.textValue()) || r.has("_id")) {
        throw JsonPaths.Unsupported.INSTANCE;
      }
      return id.textValue();
    }

    @Override
    RecordVersion version() {
      JsonNode meta = r.get("meta");
      if (meta == null) {
        return RecordVersion.of(null, 0);
      }
      String versionId = text(meta, "versionId");
      String lastUpdated = text(meta, "lastUpdated");
      return RecordVersion.of(versionId, lastUpdated == null ? 0 : millis(lastUpdated));
    }

    /**
     * An instant's milliseconds, for the shape clinics write ({@code 2026-01-02T03:04:05Z},
     * with up to three decimals and an offset): as HAPI reads it, ten times faster. Any other
     * shape is HAPI's to judge.
     */
    private static long millis(String instant) {
      int t = instant.indexOf('T');
      int dot = instant.indexOf('.');
      int zone = Math.max(instant.indexOf('Z'), Math.max(instant.lastIndexOf('+'),
          instant.lastIndexOf('-')));
      if (t != 10 || zone < 19 || (dot > 0 && (dot != 19 || zone - dot - 1 > 3 || zone == dot + 1))
          || (dot < 0 && zone != 19)) {
        throw JsonPaths.Unsupported.INSTANCE;
      }
      try {
        return OffsetDateTime.parse(instant).toInstant().toEpochMilli();
      } catch (DateTimeParseException e) {
        throw JsonPaths.Unsupported.INSTANCE;
      }
    }

    @Override
    boolean retracted() {
      if (type.equals("Condition")) {
        for (JsonNode coding : r.path("verificationStatus").path("coding")) {
          if (RETRACTED.equals(text(coding, "code"))) {
            return true;
          }
        }
        return false;
      }
      List<JsonPaths.Item> status = paths.children(input().jsonRoot(), "status");
      return !status.isEmpty() && RETRACTED.equals(status.get(0).toBase().primitiveValue());
    }

    @Override
    boolean hasCode(List<String> codes) {
      if (codes.isEmpty() || !type.equals("Observation")) {
        return true;
      }
      for (JsonNode coding : r.path("code").path("coding")) {
        if (codes.contains(text(coding, "system") + "|" + text(coding, "code"))) {
          return true;
        }
      }
      return false;
    }

    @Override
    void collectCodes(Set<String> into) {
      paths.codes(input().jsonRoot(), into);
    }

    /** A string member's value, null when absent; beyond this reader when not a string. */
    private static String text(JsonNode object, String name) {
      JsonNode v = object.get(name);
      if (v == null) {
        return null;
      }
      if (!v.isTextual() || object.has("_" + name)) {
        throw JsonPaths.Unsupported.INSTANCE;
      }
      return v.textValue();
    }
  }
}
