package org.longitude.normalize;

import java.util.ArrayList;
import java.util.List;
import org.longitude.common.Reason;

/**
 * A corpus of deliberately bad inputs, each with the reason it must be filtered or
 * quarantined for. Patient {@code p1} (born 1980-01-01) and ketamine for p1 exist; the corpus
 * clinic maps LOINC as in the catalogue and ignores LOINC 8310-5 (body temperature).
 */
final class BadInputs {
  /** One bad input: the NDJSON file (resource type) it goes in, the line, the reason. */
  record Case(String name, String resourceType, String line, Reason reason) {}

  static final String PHQ9 = code("http://loinc.org", "44261-6");

  private BadInputs() {}

  static String code(String system, String code) {
    return "{\"coding\":[{\"system\":\"" + system + "\",\"code\":\"" + code + "\"}]}";
  }

  /** An Observation with defaults; each {@code key=value} replaces or adds a member. */
  static String observation(String id, String... members) {
    java.util.LinkedHashMap<String, String> m = new java.util.LinkedHashMap<>();
    m.put("resourceType", "\"Observation\"");
    m.put("id", "\"" + id + "\"");
    m.put("status", "\"final\"");
    m.put("code", PHQ9);
    m.put("subject", "{\"reference\":\"Patient/p1\"}");
    m.put("effectiveDateTime", "\"2024-03-05T10:15:00Z\"");
    m.put("valueInteger", "12");
    for (String member : members) {
      int eq = member.indexOf('=');
      String key = member.substring(0, eq);
      String value = member.substring(eq + 1);
      if (value.equals("<drop>")) {
        m.remove(key);
      } else {
        m.put(key, value);
      }
    }
    StringBuilder s = new StringBuilder("{");
    m.forEach((k, v) -> s.append(s.length() > 1 ? "," : "").append('"').append(k).append("\":")
        .append(v));
    return s.append('}').toString();
  }

  static String components(String... itemValues) {
    String[] items = {"44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2",
        "44252-5", "44253-3", "44260-8"};
    StringBuilder s = new StringBuilder("[");
    for (int i = 0; i < itemValues.length; i++) {
      s.append(i == 0 ? "" : ",").append("{\"code\":").append(code("http://loinc.org", items[i]))
          .append(",").append(itemValues[i]).append('}');
    }
    return s.append(']').toString();
  }

  /** Cases a single record shows on its own (normalize stage). */
  static List<Case> recordCases() {
    List<Case> c = new ArrayList<>();
    String obs = "Observation";
    c.add(new Case("truncated JSON", obs, "{\"resourceType\":\"Observation\",", Reason.MALFORMED_JSON));
    c.add(new Case("not JSON", obs, "not json at all", Reason.MALFORMED_JSON));
    c.add(new Case("JSON array", obs, "[1,2,3]", Reason.NOT_A_RESOURCE));
    c.add(new Case("JSON string", obs, "\"Observation\"", Reason.NOT_A_RESOURCE));
    c.add(new Case("no resourceType", obs, "{\"id\":\"x1\"}", Reason.NOT_A_RESOURCE));
    c.add(new Case("Patient in Observation file", obs,
        "{\"resourceType\":\"Patient\",\"id\":\"px\"}", Reason.UNEXPECTED_RESOURCE_TYPE));
    c.add(new Case("no id", obs, observation("x", "id=<drop>"), Reason.MISSING_ID));
    c.add(new Case("preliminary", obs, observation("b1", "status=\"preliminary\""),
        Reason.STATUS_PRELIMINARY));
    c.add(new Case("registered", obs, observation("b2", "status=\"registered\""),
        Reason.STATUS_REGISTERED));
    c.add(new Case("cancelled", obs, observation("b3", "status=\"cancelled\""),
        Reason.STATUS_CANCELLED));
    c.add(new Case("status unknown", obs, observation("b4", "status=\"unknown\""),
        Reason.STATUS_UNKNOWN));
    c.add(new Case("no status", obs, observation("b5", "status=<drop>"), Reason.STATUS_UNKNOWN));
    c.add(new Case("entered in error", obs, observation("b6", "status=\"entered-in-error\""),
        Reason.STATUS_ENTERED_IN_ERROR));
    c.add(new Case("no subject", obs, observation("b7", "subject=<drop>"),
        Reason.MISSING_SUBJECT));
    c.add(new Case("subject is a Group", obs,
        observation("b8", "subject={\"reference\":\"Group/g1\"}"), Reason.MISSING_SUBJECT));
    c.add(new Case("unmapped LOINC", obs,
        observation("b9", "code=" + code("http://loinc.org", "8867-4")), Reason.UNMAPPED_CODE));
    c.add(new Case("no code", obs, observation("b10", "code={\"text\":\"mood\"}"),
        Reason.UNMAPPED_CODE));
    c.add(new Case("ignored code", obs,
        observation("b11", "code=" + code("http://loinc.org", "8310-5")), Reason.IGNORED_CODE));
    c.add(new Case("no date", obs, observation("b12", "effectiveDateTime=<drop>"),
        Reason.MISSING_DATE));
    c.add(new Case("impossible date", obs,
        observation("b13", "effectiveDateTime=\"2024-13-45T10:00:00Z\""), Reason.INVALID_DATE));
    c.add(new Case("month-only date", obs, observation("b14", "effectiveDateTime=\"2024-03\""),
        Reason.INVALID_DATE));
    c.add(new Case("future date", obs,
        observation("b15", "effectiveDateTime=\"2027-01-01T10:00:00Z\""), Reason.FUTURE_DATE));
    c.add(new Case("total above range", obs, observation("b16", "valueInteger=35"),
        Reason.VALUE_OUT_OF_RANGE));
    c.add(new Case("negative total", obs, observation("b17", "valueInteger=-1"),
        Reason.VALUE_OUT_OF_RANGE));
    c.add(new Case("item above range", obs, observation("b18", "valueInteger=<drop>",
        "code=" + code("http://loinc.org", "44249-1"), "component=" + components(
            "\"valueInteger\":4", "\"valueInteger\":1", "\"valueInteger\":1", "\"valueInteger\":1",
            "\"valueInteger\":1", "\"valueInteger\":1", "\"valueInteger\":1", "\"valueInteger\":1",
            "\"valueInteger\":1")), Reason.VALUE_OUT_OF_RANGE));
    c.add(new Case("word as value", obs,
        observation("b19", "valueInteger=<drop>", "valueString=\"high\""),
        Reason.NON_NUMERIC_VALUE));
    c.add(new Case("fractional quantity", obs,
        observation("b20", "valueInteger=<drop>", "valueQuantity={\"value\":4.5}"),
        Reason.NON_NUMERIC_VALUE));
    c.add(new Case("integer sent as text", obs, observation("b21", "valueInteger=\"7\""),
        Reason.NON_NUMERIC_VALUE));
    c.add(new Case("unit mg", obs,
        observation("b22", "valueInteger=<drop>", "valueQuantity={\"value\":4,\"unit\":\"mg\"}"),
        Reason.UNKNOWN_UNIT));
    c.add(new Case("no value", obs, observation("b23", "valueInteger=<drop>"),
        Reason.MISSING_VALUE));
    c.add(new Case("unknown answer code", obs, observation("b24", "valueInteger=<drop>",
        "valueCodeableConcept=" + code("http://loinc.org", "LA9999-9")),
        Reason.UNKNOWN_ANSWER_CODE));
    c.add(new Case("items disagree with total", obs, observation("b25", "valueInteger=10",
        "component=" + components("\"valueInteger\":1", "\"valueInteger\":1",
            "\"valueInteger\":1", "\"valueInteger\":1", "\"valueInteger\":1", "\"valueInteger\":1",
            "\"valueInteger\":1", "\"valueInteger\":1", "\"valueInteger\":1")),
        Reason.ITEMS_TOTAL_MISMATCH));
    c.add(new Case("panel missing an item", obs, observation("b26", "valueInteger=<drop>",
        "code=" + code("http://loinc.org", "44249-1"), "component=" + components(
            "\"valueInteger\":1", "\"valueInteger\":1", "\"valueInteger\":1", "\"valueInteger\":1",
            "\"valueInteger\":1", "\"valueInteger\":1", "\"valueInteger\":1",
            "\"valueInteger\":1")), Reason.INCOMPLETE_ITEMS));
    String med = "MedicationAdministration";
    c.add(new Case("not ketamine", med, administration("m-b1", "completed", "1234"),
        Reason.NOT_KETAMINE));
    c.add(new Case("administration not done", med, administration("m-b2", "not-done", "6130"),
        Reason.STATUS_NOT_COMPLETED));
    return c;
  }

  /** Cases only the participant-level stage can see (it knows the patient and the history). */
  static List<Case> participantCases() {
    List<Case> c = new ArrayList<>();
    String obs = "Observation";
    c.add(new Case("subject not among patients", obs,
        observation("c1", "subject={\"reference\":\"Patient/ghost\"}"), Reason.SUBJECT_NOT_FOUND));
    c.add(new Case("before birth", obs,
        observation("c2", "effectiveDateTime=\"1975-06-01T10:00:00Z\""), Reason.DATE_BEFORE_BIRTH));
    c.add(new Case("duplicate of good-1 under another id", obs,
        observation("c3", "effectiveDateTime=\"2024-01-10T09:00:00Z\"", "valueInteger=20"),
        Reason.DUPLICATE));
    c.add(new Case("older version of good-2", obs,
        observation("good-2", "meta={\"versionId\":\"1\"}", "valueInteger=3",
            "effectiveDateTime=\"2024-02-01T09:00:00Z\""), Reason.SUPERSEDED_VERSION));
    c.add(new Case("retracted later", obs,
        observation("c5", "meta={\"versionId\":\"1\"}", "valueInteger=9"), Reason.RETRACTED));
    return c;
  }

  /** Lines that must be written, plus the retraction that removes c5 (filtered when read). */
  static List<String> goodObservations() {
    return List.of(
        observation("good-1", "effectiveDateTime=\"2024-01-10T09:00:00Z\"", "valueInteger=20"),
        observation("good-2", "meta={\"versionId\":\"2\"}", "status=\"amended\"",
            "valueInteger=4", "effectiveDateTime=\"2024-02-01T09:00:00Z\""),
        observation("good-3", "effectiveDateTime=\"2023-12-20T09:00:00Z\"", "valueInteger=18"));
  }

  static String retractionOfC5() {
    return observation("c5", "meta={\"versionId\":\"2\"}", "status=\"entered-in-error\"");
  }

  static String administration(String id, String status, String rxnorm) {
    return "{\"resourceType\":\"MedicationAdministration\",\"id\":\"" + id + "\",\"status\":\""
        + status + "\",\"medicationCodeableConcept\":"
        + code("http://www.nlm.nih.gov/research/umls/rxnorm", rxnorm)
        + ",\"subject\":{\"reference\":\"Patient/p1\"},"
        + "\"effectiveDateTime\":\"2024-01-01T08:00:00Z\"}";
  }
}
