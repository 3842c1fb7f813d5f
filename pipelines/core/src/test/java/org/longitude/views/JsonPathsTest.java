package org.longitude.views;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

/**
 * The JSON engine against HAPI's: the same views on the same resources give the same rows,
 * value for value and HAPI class for class, or the JSON engine gives the resource up
 * ({@link JsonTree.Unsupported}) and the model reads it.
 */
class JsonPathsTest {
  private static final FhirContext FHIR = FhirContext.forR4Cached();
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String OBSERVATION = """
      {"resourceType": "Observation", "id": "o1",
       "meta": {"versionId": "3", "lastUpdated": "2026-01-02T03:04:05.678Z"},
       "status": "final",
       "category": [{"coding": [{"system": "http://longitude.example.org/timing",
           "code": "pre"}]}],
       "code": {"coding": [{"system": "http://loinc.org", "code": "44261-6"},
                           {"system": "http://snomed.info/sct", "code": "720433000"}],
                "text": "PHQ-9 total"},
       "subject": {"reference": "Patient/p1", "display": "Jane Doe"},
       "partOf": [{"reference": "MedicationAdministration/m1"}],
       "effectiveDateTime": "2026-01-02T10:00:00+01:00",
       "valueInteger": 17,
       "component": [
         {"code": {"coding": [{"system": "http://loinc.org", "code": "8480-6"}]},
          "valueQuantity": {"value": 120.50, "unit": "mmHg",
              "system": "http://unitsofmeasure.org", "code": "mm[Hg]"}},
         {"code": {"coding": [{"system": "http://loinc.org", "code": "8462-4"}]},
          "valueQuantity": {"value": 80, "system": "http://unitsofmeasure.org",
              "code": "mm[Hg]"}}],
       "note": [{"text": "feels better"}]}
      """;

  /** Paths of the kinds views use, each a collection column. */
  private static final List<String> PATHS = List.of(
      "getResourceKey()", "id", "status", "subject.getReferenceKey(Patient)",
      "subject.getReferenceKey()", "partOf.getReferenceKey(Patient)", "subject.reference",
      "effective.ofType(dateTime)", "effective.ofType(Period)", "value.ofType(integer)",
      "value", "value.ofType(Quantity)",
      "code.coding.where(system = 'http://loinc.org').code.first()", "code.coding.code",
      "code.coding.exists(system = 'http://loinc.org' and code = '44261-6')",
      "code.coding.exists()", "code.text", "category.coding.code", "meta.versionId",
      "component.where(code.coding.exists(system = %loinc and code = '8480-6'))"
          + ".value.ofType(Quantity).value.first()",
      "component.value.ofType(Quantity).code", "status = 'final' or status = 'amended'",
      "status = 'final' and code.exists()", "(status = 'final')", "%loinc", "%rowIndex",
      "code.coding.system = %loinc", "note.text");

  @Test
  void everyPathGivesWhatHapiGives() throws IOException {
    for (String path : PATHS) {
      CompiledView view = view("Observation", path);
      assertTrue(view.runsOnJson(), path);
      assertSame(view, OBSERVATION, path, true);
    }
  }

  @Test
  void theDemoAndBenchmarkViewsRunOnJson() throws IOException {
    for (String file : List.of("blood_pressure.json", "ketamine_dose.json")) {
      CompiledView view = CompiledView.compile(ViewDefinition.parse(JSON.readTree(
          Files.readString(Path.of("../../config/demo/views", file))), file), file, FHIR);
      assertTrue(view.runsOnJson(), file);
    }
  }

  @Test
  void pathsOutsideTheSubsetRunOnTheModel() {
    for (String path : List.of("value.as(Quantity)", "name.family.join(',')",
        "effective.ofType(dateTime) > @2020-01-01", "Observation.status", "children()",
        "code.coding.count()", "status != 'final'", "subject.resolve()",
        "code.coding.where($this.code = 'x')", "%resource.id")) {
      assertFalse(view("Observation", path).runsOnJson(), path);
    }
  }

  @Test
  void jsonTheEngineDoesNotReadIsGivenToTheModel() throws IOException {
    // a primitive with an extension; two values of one choice; a value of the wrong kind;
    // a code its enumeration does not know; a JSON key that is no FHIRPath name
    assertSame(view("Observation", "valueInteger.exists()"), OBSERVATION, "json key", false);
    assertSame(view("Observation", "status"),
        OBSERVATION.replace("\"status\": \"final\",",
            "\"status\": \"final\", \"_status\": {\"extension\": []},"), "_status", false);
    assertSame(view("Observation", "value"),
        OBSERVATION.replace("\"valueInteger\": 17", "\"valueInteger\": 17, \"valueString\": \"x\""),
        "two choices", false);
    assertSame(view("Observation", "status.exists()"),
        OBSERVATION.replace("\"status\": \"final\"", "\"status\": 5"), "a number", false);
    assertSame(view("Observation", "status"),
        OBSERVATION.replace("\"status\": \"final\"", "\"status\": \"bogus\""), "bad code",
        false);
  }

  @Test
  void theResourceIsReadAlikeForTheStage() throws IOException {
    CompiledView view = view("Observation", "status");
    for (String json : List.of(OBSERVATION,
        OBSERVATION.replace("\"status\": \"final\"", "\"status\": \"entered-in-error\""),
        OBSERVATION.replace("\"meta\": {\"versionId\": \"3\", ", "\"meta\": {"),
        OBSERVATION.replace("\"code\": \"44261-6\"", "\"code\": \"x\""),
        OBSERVATION.replace("05.678Z", "05+01:00"),
        OBSERVATION.replace("05.678Z", "05.1-05:30"))) {
      ObjectNode tree = ModelReader.tree(json.getBytes(StandardCharsets.UTF_8));
      Resource model = new ModelReader(FHIR, true).read(tree.deepCopy());
      ReadResource fromModel = ReadResource.of(model, view);
      ReadResource fromJson = ReadResource.of(tree, view);
      assertEquals(fromModel.id(), fromJson.id());
      assertEquals(fromModel.version(), fromJson.version());
      assertEquals(fromModel.retracted(), fromJson.retracted());
      assertEquals(fromModel.hasCode(List.of("http://loinc.org|44261-6")),
          fromJson.hasCode(List.of("http://loinc.org|44261-6")));
      assertEquals(codes(fromModel), codes(fromJson), json);
    }
    String extended = OBSERVATION.replace("{\"text\": \"feels better\"}", "{\"text\": \"a\", "
        + "\"extension\": [{\"url\": \"u\", \"valueCoding\": {\"system\": \"s\", "
        + "\"code\": \"c\"}}]}");
    ReadResource withExtension = ReadResource.of(ModelReader.tree(extended.getBytes(
        StandardCharsets.UTF_8)), view);
    assertThrows(JsonTree.Unsupported.class, () -> codes(withExtension),
        "extensions: the model's");
    assertTrue(withExtension.hasCoding("http://loinc.org", "8462-4"),
        "found before the extension: the model finds it too");
    assertThrows(JsonTree.Unsupported.class, () -> withExtension.hasCoding("s", "c"),
        "not found before it: the model's to judge");
    for (String odd : List.of("05.123456Z", "05", "05.Z")) {
      ReadResource r = ReadResource.of(ModelReader.tree(OBSERVATION.replace("05.678Z", odd)
          .getBytes(StandardCharsets.UTF_8)), view);
      assertThrows(JsonTree.Unsupported.class, r::version, odd);
    }
    assertTrue(ReadResource.of(new ModelReader(FHIR, true).read(ModelReader.tree(
        extended.getBytes(StandardCharsets.UTF_8))), view).hasCoding("s", "c"));
    ReadResource plain = ReadResource.of(ModelReader.tree(OBSERVATION.getBytes(
        StandardCharsets.UTF_8)), view);
    assertEquals(java.util.Set.of("http://loinc.org|44261-6", "http://snomed.info/sct|720433000",
        "http://longitude.example.org/timing|pre", "http://loinc.org|8480-6",
        "http://loinc.org|8462-4", "http://unitsofmeasure.org|mm[Hg]"), codes(plain));
    assertTrue(plain.hasCoding("http://unitsofmeasure.org", "mm[Hg]"));
    assertFalse(plain.hasCoding("http://loinc.org", "mm[Hg]"), "system and code of one coding");
    assertTrue(plain.hasCode(List.of("http://loinc.org|44261-6")));
  }

  @Test
  void instantsAreReadAsHapiReadsThem() {
    java.util.Random random = new java.util.Random(11);
    for (int i = 0; i < 5_000; i++) {
      String fraction = switch (random.nextInt(4)) {
        case 0 -> "";
        case 1 -> "." + random.nextInt(10);
        case 2 -> String.format(".%02d", random.nextInt(100));
        default -> String.format(".%03d", random.nextInt(1000));
      };
      String zone = random.nextBoolean() ? "Z" : String.format("%s%02d:%02d",
          random.nextBoolean() ? "+" : "-", random.nextInt(15), random.nextInt(4) * 15);
      String instant = String.format("%04d-%02d-%02dT%02d:%02d:%02d%s%s",
          1900 + random.nextInt(200), 1 + random.nextInt(12), 1 + random.nextInt(28),
          random.nextInt(24), random.nextInt(60), random.nextInt(60), fraction, zone);
      assertEquals(new org.hl7.fhir.r4.model.InstantType(instant).getValue().getTime(),
          ReadResource.millis(instant), instant);
    }
    for (String odd : List.of("2026-02-30T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01",
        "2026-01-01T00:00:00", "2026-01-01T00:00:00.1234Z", "2026-01-01T00:00:00+0100")) {
      assertThrows(JsonTree.Unsupported.class, () -> ReadResource.millis(odd), odd);
    }
  }

  /** A view of one collection column over {@code resource}, with the constant %loinc. */
  private static CompiledView view(String resource, String path) {
    ObjectNode v = JSON.createObjectNode();
    v.put("resourceType", "ViewDefinition").put("resource", resource);
    v.putArray("constant").addObject().put("name", "loinc").put("valueUri", "http://loinc.org");
    v.putArray("select").addObject().putArray("column").addObject().put("name", "c")
        .put("path", path).put("collection", true);
    return CompiledView.compile(ViewDefinition.parse(v, path), path, FHIR);
  }

  /**
   * The model's rows equal the JSON engine's; {@code onJson}: the JSON engine read the
   * resource itself (false: it must have given it up).
   */
  private static void assertSame(CompiledView view, String json, String what, boolean onJson)
      throws IOException {
    ObjectNode tree = ModelReader.tree(json.getBytes(StandardCharsets.UTF_8));
    if (!onJson) {
      assertThrows(JsonTree.Unsupported.class, () -> view.rows(view.jsonInput(tree)), what);
      return;
    }
    List<String> model = typed(view.rows(new ModelReader(FHIR, true).read(tree.deepCopy())));
    List<Object[]> fromJson;
    try {
      fromJson = view.rows(view.jsonInput(tree));
    } catch (JsonTree.Unsupported e) {
      throw new AssertionError(what + ": the JSON engine gave the resource up", e);
    }
    assertEquals(model, typed(fromJson), what);
  }

  private static List<String> typed(List<Object[]> rows) {
    return rows.stream().map(ConformanceSuite::typed).toList();
  }

  /** Every {@code system|code} of the resource's Codings and Quantities: a walk of them all. */
  private static java.util.Set<String> codes(ReadResource r) {
    java.util.Set<String> codes = new java.util.HashSet<>();
    r.anyCoding((system, code) -> {
      codes.add(system + "|" + code);
      return false;
    });
    return codes;
  }
}
