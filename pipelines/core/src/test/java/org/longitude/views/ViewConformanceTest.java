package org.longitude.views;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Longitude's own test files in the SQL on FHIR v2 test format (one per feature, each with a
 * refusal case), through the same runner {@code longitude views-conformance} uses on the
 * specification's suite.
 */
class ViewConformanceTest {
  private static Path folder() throws URISyntaxException {
    return Path.of(ViewConformanceTest.class.getResource("conformance").toURI());
  }

  @Test
  void everyOwnTestPasses() throws Exception {
    List<ConformanceSuite.FileResult> results = ConformanceSuite.run(folder());
    Map<String, String> failures = new TreeMap<>();
    for (ConformanceSuite.FileResult file : results) {
      file.tests().stream().filter(t -> !t.passed())
          .forEach(t -> failures.put(file.file() + ": " + t.title(), t.failure()));
    }
    assertEquals(Map.of(), failures);
    assertEquals(List.of("collection.json", "columns.json", "constants.json", "foreach.json",
        "functions.json", "repeat.json", "union.json", "where.json"),
        results.stream().map(ConformanceSuite.FileResult::file).toList());
  }

  /** Each file holds at least one refusal, and the runner counts it as passed only on error. */
  @Test
  void everyFileRefusesSomething() throws Exception {
    for (ConformanceSuite.FileResult file : ConformanceSuite.run(folder())) {
      assertTrue(file.tests().stream().anyMatch(t -> t.title().startsWith("refused:")),
          file.file());
    }
  }

  @Test
  void aWrongExpectationFails() {
    var suite = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
    suite.putArray("resources").addObject().put("resourceType", "Patient").put("id", "p1");
    var test = suite.putArray("tests").addObject();
    test.put("title", "wrong");
    test.putObject("view").put("resource", "Patient").putArray("select").addObject()
        .putArray("column").addObject().put("name", "id").put("path", "id");
    test.putArray("expect").addObject().put("id", "p2");
    ConformanceSuite.FileResult result = ConformanceSuite.runFile("wrong.json", suite,
        ca.uhn.fhir.context.FhirContext.forR4Cached());
    assertEquals(0, result.passed(false));
    assertTrue(result.tests().get(0).failure().contains("p1"), result.tests().get(0).failure());
    String counts = result.tests().stream().map(ConformanceSuite.TestResult::title)
        .collect(Collectors.joining());
    assertEquals("wrong", counts);
  }
}
