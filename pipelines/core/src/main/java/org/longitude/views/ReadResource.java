package org.longitude.views;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.List;
import java.util.function.BiPredicate;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Resource;
import org.longitude.common.RecordVersion;

/**
 * What the views stage reads of one resource besides its rows: id, version, whether it
 * retracts itself, its codes. Read from HAPI's model ({@link #of(Resource, CompiledView)}) or,
 * for a view that {@link CompiledView#runsOnJson runs on JSON}, from the JSON tree
 * ({@link #of(ObjectNode, CompiledView)}), which reads the same values or throws
 * {@link JsonTree.Unsupported}.
 */
abstract class ReadResource {
  private final CompiledView.Input input;

  private ReadResource(CompiledView.Input input) {
    this.input = input;
  }

  static ReadResource of(Resource r, CompiledView view) {
    return new Model(r, view.input(r));
  }

  static ReadResource of(ObjectNode r, CompiledView view) {
    return new Json(view.jsonInput(r), view.jsonTree());
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

  /** Whether a Coding or Quantity of the resource has {@code system} and {@code code}. */
  final boolean hasCoding(String system, String code) {
    return anyCoding((s, c) -> s.equals(system) && c.equals(code));
  }

  /**
   * Whether {@code match} accepts the system and code of a Coding or Quantity of the resource
   * (each with both), in document order: the walk stops at the first it accepts.
   */
  abstract boolean anyCoding(BiPredicate<String, String> match);

  /**
   * An instant's milliseconds, for the shape clinics write ({@code 2026-01-02T03:04:05Z},
   * with up to three decimals and an offset of hours and minutes), read by hand as HAPI
   * reads it (HAPI's parser, and java.time's, were a tenth of a view's CPU). Any other shape,
   * or a field out of range, is HAPI's to judge.
   */
  static long millis(String s) {
    int n = s.length();
    if (n < 20) {
      throw JsonTree.Unsupported.INSTANCE;
    }
    boolean zulu = s.charAt(n - 1) == 'Z';
    int zone = zulu ? n - 1 : n - 6;
    if (zone < 19 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
        || s.charAt(13) != ':' || s.charAt(16) != ':'
        || (!zulu && ((s.charAt(zone) != '+' && s.charAt(zone) != '-')
            || s.charAt(zone + 3) != ':'))) {
      throw JsonTree.Unsupported.INSTANCE;
    }
    int millis = 0;
    if (zone > 19) { // .d, .dd or .ddd
      if (s.charAt(19) != '.' || zone - 20 < 1 || zone - 20 > 3) {
        throw JsonTree.Unsupported.INSTANCE;
      }
      millis = digits(s, 20, zone);
      for (int i = zone - 20; i < 3; i++) {
        millis *= 10;
      }
    }
    int hour = digits(s, 11, 13);
    int minute = digits(s, 14, 16);
    int second = digits(s, 17, 19);
    int offset = zulu ? 0 : (s.charAt(zone) == '-' ? -1 : 1)
        * (digits(s, zone + 1, zone + 3) * 60 + digits(s, zone + 4, zone + 6));
    if (hour > 23 || minute > 59 || second > 59 || Math.abs(offset) > 18 * 60) {
      throw JsonTree.Unsupported.INSTANCE;
    }
    long day;
    try {
      day = LocalDate.of(digits(s, 0, 4), digits(s, 5, 7), digits(s, 8, 10)).toEpochDay();
    } catch (DateTimeException e) {
      throw JsonTree.Unsupported.INSTANCE;
    }
    long seconds = day * 86_400 + hour * 3_600 + minute * 60 + second - offset * 60L;
    return seconds * 1_000 + millis;
  }

  private static int digits(String s, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        throw JsonTree.Unsupported.INSTANCE;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

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
    boolean anyCoding(BiPredicate<String, String> match) {
      return anyCoding(r, match);
    }

    private static boolean anyCoding(Base node, BiPredicate<String, String> match) {
      if (node instanceof Coding c && c.hasSystem() && c.hasCode()
          && match.test(c.getSystem(), c.getCode())) {
        return true;
      } else if (node instanceof Quantity q && q.hasSystem() && q.hasCode()
          && match.test(q.getSystem(), q.getCode())) {
        return true;
      }
      for (Property p : node.children()) {
        for (Base child : p.getValues()) {
          if (child != null && !child.isPrimitive() && anyCoding(child, match)) {
            return true;
          }
        }
      }
      return false;
    }
  }

  private static final class Json extends ReadResource {
    private final JsonNode r;
    private final String type;
    private final JsonTree tree;

    Json(CompiledView.Input input, JsonTree tree) {
      super(input);
      this.r = input.jsonRoot().node;
      this.type = input.jsonRoot().type();
      this.tree = tree;
    }

    @Override
    String id() {
      return JsonTree.id(r);
    }

    @Override
    RecordVersion version() {
      JsonNode meta = r.get("meta");
      if (meta == null) {
        return RecordVersion.of(null, 0);
      }
      String versionId = JsonTree.string(meta, "versionId");
      String lastUpdated = JsonTree.string(meta, "lastUpdated");
      return RecordVersion.of(versionId, lastUpdated == null ? 0 : millis(lastUpdated));
    }

    @Override
    boolean retracted() {
      if (type.equals("Condition")) {
        for (JsonNode coding : r.path("verificationStatus").path("coding")) {
          if (RETRACTED.equals(JsonTree.string(coding, "code"))) {
            return true;
          }
        }
        return false;
      }
      List<JsonTree.Item> status = tree.children(input().jsonRoot(), "status");
      return !status.isEmpty() && RETRACTED.equals(status.get(0).toBase().primitiveValue());
    }

    @Override
    boolean hasCode(List<String> codes) {
      if (codes.isEmpty() || !type.equals("Observation")) {
        return true;
      }
      for (JsonNode coding : r.path("code").path("coding")) {
        if (codes.contains(JsonTree.string(coding, "system") + "|"
            + JsonTree.string(coding, "code"))) {
          return true;
        }
      }
      return false;
    }

    @Override
    boolean anyCoding(BiPredicate<String, String> match) {
      return tree.anyCoding(input().jsonRoot(), match);
    }
  }
}
