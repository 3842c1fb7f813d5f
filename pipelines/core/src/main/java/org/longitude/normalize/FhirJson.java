package org.longitude.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;
import org.longitude.common.RecordVersion;

/** Small readers for FHIR JSON shapes; absent or malformed values come back as null. */
final class FhirJson {
  /** A dateTime's trailing zone offset, e.g. {@code +02:00}. */
  private static final Pattern ZONE_OFFSET = Pattern.compile("[+-]\\d\\d:\\d\\d$");

  private FhirJson() {}

  static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v != null && v.isTextual() && !v.asText().isBlank() ? v.asText() : null;
  }

  /** The id in a reference such as {@code Patient/123}, if it points at {@code type}. */
  static String referenceId(JsonNode node, String field, String type) {
    return referenceId(node.get(field), type);
  }

  /** The id in a Reference object such as {@code {"reference": "Observation/7"}}. */
  static String referenceId(JsonNode ref, String type) {
    String value = ref == null ? null : text(ref, "reference");
    if (value == null) {
      return null;
    }
    int history = value.indexOf("/_history/");
    if (history >= 0) {
      value = value.substring(0, history);
    }
    int slash = value.lastIndexOf('/');
    if (slash < 0) {
      return null;
    }
    String prefix = value.substring(0, slash);
    boolean typed = prefix.equals(type) || prefix.endsWith("/" + type);
    String id = value.substring(slash + 1);
    return typed && !id.isEmpty() ? id : null;
  }

  /**
   * The calendar day of a FHIR date or dateTime, as written (the clinic's local day).
   *
   * @throws DateTimeParseException when it is not at least a full day
   */
  static LocalDate day(String value) {
    if (value.length() == 10) {
      LocalDate day = StrictDateTime.date(value);
      if (day != null) {
        return day;
      }
    } else {
      StrictDateTime strict = StrictDateTime.parse(value);
      if (strict != null) {
        return strict.day();
      }
    }
    if (value.length() < 10) {
      throw new DateTimeParseException("partial date", value, 0);
    }
    LocalDate day = LocalDate.parse(value.substring(0, 10));
    if (value.length() > 10) {
      OffsetDateTime.parse(value.endsWith("Z") || ZONE_OFFSET.matcher(value).find()
          ? value : value + "Z");
    }
    return day;
  }

  static RecordVersion version(JsonNode resource) {
    JsonNode meta = resource.get("meta");
    String versionId = meta == null ? null : text(meta, "versionId");
    String lastUpdated = meta == null ? null : text(meta, "lastUpdated");
    long millis = 0;
    StrictDateTime strict = lastUpdated == null ? null : StrictDateTime.parse(lastUpdated);
    if (strict != null) {
      millis = strict.epochMillis();
    } else if (lastUpdated != null) {
      try {
        millis = Instant.from(OffsetDateTime.parse(lastUpdated)).toEpochMilli();
      } catch (DateTimeParseException e) {
        millis = 0;
      }
    }
    return RecordVersion.of(versionId, millis);
  }
}
