package org.longitude.normalize;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.longitude.common.Reason;
import org.longitude.config.ClinicMapping;
import org.longitude.config.MeasureCatalog;
import org.longitude.measures.ItemScore;

/**
 * Turns one raw resource into a {@link Fact} or a {@link Dropped} reason. Pure and
 * thread-confined; one per clinic per worker.
 */
final class ResourceReader {
  /** Either a fact or the reason the record was left out. */
  record Result(Fact fact, Dropped dropped) {
    static Result of(Fact fact) {
      return new Result(fact, null);
    }

    static Result drop(Reason reason, String measure) {
      return new Result(null, new Dropped(reason, measure));
    }
  }

  /** Signals a rule violation while reading a value; caught in {@link #read}. */
  private static final class Violation extends Exception {
    final Reason reason;

    Violation(Reason reason) {
      super(null, null, false, false);
      this.reason = reason;
    }
  }

  /**
   * The deepest JSON nesting accepted. FHIR resources of the types read here nest a dozen
   * levels at most; the limit makes hostile nesting a quarantine reason, not a deep stack.
   */
  static final int MAX_JSON_DEPTH = 100;

  private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_JSON_DEPTH).build())
      .build());

  private final String clinic;
  private final MeasureCatalog catalog;
  private final CodeIndex codes;
  private final LocalDate today;

  private final Set<String> viewOnlyTypes;

  ResourceReader(String clinic, MeasureCatalog catalog, ClinicMapping mapping, LocalDate today) {
    this(clinic, catalog, mapping, today, Set.of());
  }

  /** @param viewOnlyTypes resource types pulled for the study's views alone */
  ResourceReader(String clinic, MeasureCatalog catalog, ClinicMapping mapping, LocalDate today,
      Set<String> viewOnlyTypes) {
    this.viewOnlyTypes = viewOnlyTypes;
    this.clinic = clinic;
    this.catalog = catalog;
    this.codes = new CodeIndex(catalog, mapping);
    this.today = today;
  }

  /** Reads a resource from its JSON text. */
  Result read(String expectedType, String json) {
    return read(expectedType, json.getBytes(StandardCharsets.UTF_8));
  }

  /** Reads a resource from its JSON, UTF-8 bytes (parsed without decoding them first). */
  Result read(String expectedType, byte[] json) {
    JsonNode resource;
    try {
      resource = JSON.readTree(json);
    } catch (StreamConstraintsException e) {
      // Depth, or a number or string beyond Jackson's limits: refused, never parsed further.
      boolean depth = String.valueOf(e.getOriginalMessage()).contains("nesting depth");
      return Result.drop(depth ? Reason.JSON_TOO_DEEP : Reason.RECORD_TOO_LARGE, null);
    } catch (IOException e) { // not JSON (from bytes in memory: no other I/O can fail)
      return Result.drop(Reason.MALFORMED_JSON, null);
    }
    if (resource == null || !resource.isObject() || FhirJson.text(resource, "resourceType") == null) {
      return Result.drop(Reason.NOT_A_RESOURCE, null);
    }
    String type = FhirJson.text(resource, "resourceType");
    if (!type.equals(expectedType)) {
      return Result.drop(Reason.UNEXPECTED_RESOURCE_TYPE, null);
    }
    String id = FhirJson.text(resource, "id");
    if (id == null) {
      return Result.drop(Reason.MISSING_ID, null);
    }
    return switch (type) {
      case "Patient" -> patient(resource, id);
      case "Observation" -> observation(resource, id);
      case "MedicationAdministration" -> administration(resource, id);
      case "Condition" -> condition(resource, id);
      case "Procedure" -> procedure(resource, id);
      // Read by the study's views (beside this step), by no timeline: accounted here.
      default -> Result.drop(viewOnlyTypes.contains(type) ? Reason.VIEW_ONLY
          : Reason.UNEXPECTED_RESOURCE_TYPE, null);
    };
  }

  private Result patient(JsonNode r, String id) {
    LocalDate birth = null;
    String birthText = FhirJson.text(r, "birthDate");
    if (birthText != null && birthText.length() >= 10) {
      try {
        birth = LocalDate.parse(birthText.substring(0, 10));
      } catch (DateTimeParseException e) {
        return Result.drop(Reason.INVALID_DATE, null);
      }
    }
    String zip = null;
    for (JsonNode address : r.path("address")) {
      zip = FhirJson.text(address, "postalCode");
      if (zip != null && !"old".equals(FhirJson.text(address, "use"))) {
        break;
      }
    }
    return Result.of(new Fact.PatientFact(clinic, id, FhirJson.version(r),
        FhirJson.text(r, "gender"), birth, zip));
  }

  private Result observation(JsonNode r, String id) {
    String subject = FhirJson.referenceId(r, "subject", "Patient");
    CodeIndex.Meaning meaning = null;
    String system = null;
    String code = null;
    for (JsonNode coding : r.path("code").path("coding")) {
      system = FhirJson.text(coding, "system");
      code = FhirJson.text(coding, "code");
      meaning = codes.meaning(system, code);
      if (meaning != null) {
        break;
      }
    }
    String measure = meaning == null ? null : meaning.measure();
    Reason statusReason = observationStatus(FhirJson.text(r, "status"));
    if (statusReason == Reason.STATUS_ENTERED_IN_ERROR && subject != null) {
      return Result.of(new Fact.RetractionFact(clinic, subject, "Observation", id,
          FhirJson.version(r)));
    }
    if (statusReason != null) {
      return Result.drop(statusReason, measure);
    }
    if (subject == null) {
      return Result.drop(Reason.MISSING_SUBJECT, measure);
    }
    if (meaning == null) {
      boolean ignored = false;
      for (JsonNode coding : r.path("code").path("coding")) {
        ignored |= codes.isIgnored(FhirJson.text(coding, "system"), FhirJson.text(coding, "code"));
      }
      return Result.drop(ignored ? Reason.IGNORED_CODE : Reason.UNMAPPED_CODE, null);
    }
    try {
      LocalDate date = effectiveDay(r);
      MeasureCatalog.Measure m = catalog.measure(measure);
      int itemCount = m.numberOfItems();
      List<Integer> items = new ArrayList<>(java.util.Collections.nCopies(itemCount, null));
      Integer total = null;
      switch (meaning.role()) {
        case TOTAL -> total = numericValue(r, true);
        case PANEL -> total = m.panelCarriesTotal() ? numericValue(r, false) : null;
        case ITEM -> items.set(meaning.item() - 1, numericValue(r, true));
      }
      readComponents(r, measure, items);
      return Result.of(score(id, r, subject, measure, system, code, total, items, m, date,
          meaning.role(), members(r)));
    } catch (Violation v) {
      return Result.drop(v.reason, measure);
    }
  }

  /**
   * Checks the values one resource carries. A resource with {@code hasMember} items (a panel)
   * is scored in the timeline, when its members join it: here it needs no value of its own
   * and is never prorated from a part of its items.
   */
  private Fact.ScoreFact score(String id, JsonNode r, String subject, String measure,
      String system, String code, Integer total, List<Integer> items, MeasureCatalog.Measure m,
      LocalDate date, ClinicMapping.Role role, List<String> members) throws Violation {
    ItemScore.Scored scored = ItemScore.of(m, total, items);
    if (scored.violation() != null) {
      throw new Violation(scored.violation());
    }
    Integer kept = members.isEmpty() ? scored.total() : total;
    int present = ItemScore.answered(items);
    if (kept == null && role != ClinicMapping.Role.ITEM && members.isEmpty()) {
      throw new Violation(present == 0 ? Reason.MISSING_VALUE : Reason.INCOMPLETE_ITEMS);
    }
    return new Fact.ScoreFact(clinic, subject, id, FhirJson.version(r), measure, system, code,
        kept, present == 0 ? List.of() : items, date, members);
  }

  /** Ids of the Observations in {@code hasMember}, in order, once each. */
  private static List<String> members(JsonNode r) {
    java.util.Set<String> ids = new java.util.LinkedHashSet<>();
    for (JsonNode ref : r.path("hasMember")) {
      String id = FhirJson.referenceId(ref, "Observation");
      if (id != null) {
        ids.add(id);
      }
    }
    return List.copyOf(ids);
  }

  private void readComponents(JsonNode r, String measure, List<Integer> items) throws Violation {
    for (JsonNode component : r.path("component")) {
      for (JsonNode coding : component.path("code").path("coding")) {
        int item = codes.itemOf(measure, FhirJson.text(coding, "system"),
            FhirJson.text(coding, "code"));
        if (item > 0 && item <= items.size()) {
          items.set(item - 1, numericValue(component, true));
          break;
        }
      }
    }
  }

  /** A score from any value shape real servers send; {@code required} when it must exist. */
  private Integer numericValue(JsonNode node, boolean required) throws Violation {
    JsonNode v;
    if ((v = node.get("valueInteger")) != null) {
      if (!v.isIntegralNumber()) {
        throw new Violation(Reason.NON_NUMERIC_VALUE);
      }
      return v.asInt();
    }
    if ((v = node.get("valueQuantity")) != null) {
      String unit = v.has("code") ? FhirJson.text(v, "code") : FhirJson.text(v, "unit");
      if (unit != null && !unit.equals("{score}") && !unit.equalsIgnoreCase("score")
          && !unit.equals("1")) {
        throw new Violation(Reason.UNKNOWN_UNIT);
      }
      return integral(v.get("value"));
    }
    if ((v = node.get("valueString")) != null) {
      try {
        return integralNumber(new java.math.BigDecimal(v.asText().trim()));
      } catch (NumberFormatException e) {
        throw new Violation(Reason.NON_NUMERIC_VALUE);
      }
    }
    if ((v = node.get("valueCodeableConcept")) != null) {
      for (JsonNode coding : v.path("coding")) {
        Integer answer = catalog.answerCodes().get(FhirJson.text(coding, "code"));
        if (answer != null) {
          return answer;
        }
      }
      throw new Violation(Reason.UNKNOWN_ANSWER_CODE);
    }
    if (required) {
      throw new Violation(Reason.MISSING_VALUE);
    }
    return null;
  }

  private static Integer integral(JsonNode value) throws Violation {
    if (value == null || !value.isNumber()) {
      throw new Violation(Reason.NON_NUMERIC_VALUE);
    }
    return integralNumber(value.decimalValue());
  }

  private static Integer integralNumber(java.math.BigDecimal d) throws Violation {
    try {
      return d.stripTrailingZeros().intValueExact();
    } catch (ArithmeticException e) {
      throw new Violation(Reason.NON_NUMERIC_VALUE);
    }
  }

  /** effectiveDateTime, else effectivePeriod's end, else its start. */
  private LocalDate effectiveDay(JsonNode r) throws Violation {
    String value = FhirJson.text(r, "effectiveDateTime");
    JsonNode period = r.get("effectivePeriod");
    if (value == null && period != null) {
      value = FhirJson.text(period, "end") != null ? FhirJson.text(period, "end")
          : FhirJson.text(period, "start");
    }
    if (value == null) {
      throw new Violation(Reason.MISSING_DATE);
    }
    LocalDate day;
    try {
      day = FhirJson.day(value);
    } catch (DateTimeParseException e) {
      throw new Violation(Reason.INVALID_DATE);
    }
    if (day.isAfter(today)) {
      throw new Violation(Reason.FUTURE_DATE);
    }
    return day;
  }

  private static Reason observationStatus(String status) {
    if (status == null) {
      return Reason.STATUS_UNKNOWN;
    }
    return switch (status) {
      case "final", "amended", "corrected" -> null;
      case "preliminary" -> Reason.STATUS_PRELIMINARY;
      case "registered" -> Reason.STATUS_REGISTERED;
      case "cancelled" -> Reason.STATUS_CANCELLED;
      case "entered-in-error" -> Reason.STATUS_ENTERED_IN_ERROR;
      default -> Reason.STATUS_UNKNOWN;
    };
  }

  private Result administration(JsonNode r, String id) {
    String subject = FhirJson.referenceId(r, "subject", "Patient");
    String status = FhirJson.text(r, "status");
    if ("entered-in-error".equals(status) && subject != null) {
      return Result.of(new Fact.RetractionFact(clinic, subject, "MedicationAdministration", id,
          FhirJson.version(r)));
    }
    if (!"completed".equals(status)) {
      return Result.drop("entered-in-error".equals(status) ? Reason.STATUS_ENTERED_IN_ERROR
          : Reason.STATUS_NOT_COMPLETED, null);
    }
    if (subject == null) {
      return Result.drop(Reason.MISSING_SUBJECT, null);
    }
    String system = null;
    String code = null;
    for (JsonNode coding : r.path("medicationCodeableConcept").path("coding")) {
      if (codes.isKetamine(FhirJson.text(coding, "system"), FhirJson.text(coding, "code"))) {
        system = FhirJson.text(coding, "system");
        code = FhirJson.text(coding, "code");
      }
    }
    if (code == null) {
      return Result.drop(r.has("medicationReference") ? Reason.UNMAPPED_CODE
          : Reason.NOT_KETAMINE, null);
    }
    return treatment(r, id, subject, system, code, "effective");
  }

  /**
   * A ketamine Procedure (for clinics that record infusions so): completed, coded with one of
   * the clinic's procedure codes, dated by performed[x]. It counts like an administration.
   */
  private Result procedure(JsonNode r, String id) {
    String subject = FhirJson.referenceId(r, "subject", "Patient");
    String status = FhirJson.text(r, "status");
    if ("entered-in-error".equals(status) && subject != null) {
      return Result.of(new Fact.RetractionFact(clinic, subject, "Procedure", id,
          FhirJson.version(r)));
    }
    if (!"completed".equals(status)) {
      return Result.drop(Reason.STATUS_NOT_COMPLETED, null);
    }
    if (subject == null) {
      return Result.drop(Reason.MISSING_SUBJECT, null);
    }
    for (JsonNode coding : r.path("code").path("coding")) {
      String system = FhirJson.text(coding, "system");
      String code = FhirJson.text(coding, "code");
      if (codes.isKetamineProcedure(system, code)) {
        return treatment(r, id, subject, system, code, "performed");
      }
    }
    return Result.drop(Reason.NOT_KETAMINE, null);
  }

  /** A treatment dated by {@code <prefix>DateTime} or the start of {@code <prefix>Period}. */
  private Result treatment(JsonNode r, String id, String subject, String system, String code,
      String datePrefix) {
    String when = FhirJson.text(r, datePrefix + "DateTime");
    if (when == null && r.has(datePrefix + "Period")) {
      when = FhirJson.text(r.get(datePrefix + "Period"), "start");
    }
    if (when == null) {
      return Result.drop(Reason.MISSING_DATE, null);
    }
    try {
      LocalDate day = FhirJson.day(when);
      if (day.isAfter(today)) {
        return Result.drop(Reason.FUTURE_DATE, null);
      }
      return Result.of(new Fact.AdministrationFact(clinic, subject, id, FhirJson.version(r),
          system, code, day, FhirJson.text(r, "resourceType")));
    } catch (DateTimeParseException e) {
      return Result.drop(Reason.INVALID_DATE, null);
    }
  }

  private Result condition(JsonNode r, String id) {
    String subject = FhirJson.referenceId(r, "subject", "Patient");
    String verification = r.path("verificationStatus").path("coding").path(0).path("code").asText("");
    if (verification.equals("entered-in-error") && subject != null) {
      return Result.of(new Fact.RetractionFact(clinic, subject, "Condition", id,
          FhirJson.version(r)));
    }
    if (subject == null) {
      return Result.drop(Reason.MISSING_SUBJECT, null);
    }
    List<String> diagnosisCodes = new ArrayList<>();
    for (JsonNode coding : r.path("code").path("coding")) {
      String system = FhirJson.text(coding, "system");
      String code = FhirJson.text(coding, "code");
      if (system != null && code != null) {
        diagnosisCodes.add(system + "|" + code);
      }
    }
    return Result.of(new Fact.DiagnosisFact(clinic, subject, id, FhirJson.version(r),
        List.copyOf(diagnosisCodes)));
  }
}
