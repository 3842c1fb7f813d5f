package org.longitude.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A clinic loaded from NDJSON without HAPI ({@link DemoClinic#startFromNdjson}) serves the same
 * searches as one loaded from the dataset: ids, codes, subjects and lastUpdated are indexed
 * alike.
 */
class DemoClinicFromNdjsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void servesTheSameSearchesAsTheDatasetClinic(@TempDir Path dir) throws Exception {
    ClinicDataset data = SyntheticStudy.generate(5, 8).clinic("north");
    try (DemoClinic loaded = DemoClinic.start(data, ClinicServerOptions.defaults())) {
      loaded.exportNdjson(dir);
      try (DemoClinic fromFiles = DemoClinic.startFromNdjson(ClinicProfile.NORTH, dir,
          ClinicServerOptions.defaults().withCompressedStorage(true))) {
        JsonNode medication = first(dir, "MedicationAdministration")
            .at("/medicationCodeableConcept/coding/0");
        String patient = first(dir, "Patient").path("id").asText();
        List<String> searches = List.of("Patient?", "Observation?", "Condition?",
            "MedicationAdministration?",
            "Observation?code=" + encode("http://loinc.org|44261-6") + "&",
            "MedicationAdministration?code="
                + encode(medication.path("system").asText() + "|" + medication.path("code")
                .asText()) + "&",
            "Observation?patient=" + patient + "&", "Condition?subject=Patient/" + patient + "&",
            "Observation?_lastUpdated=ge2026-01-01&");
        for (String search : searches) {
          Set<String> expected = ids(loaded, search);
          assertFalse(expected.isEmpty(), search);
          assertEquals(expected, ids(fromFiles, search), search);
        }
        assertTrue(ids(fromFiles, "Observation?code=" + encode("http://loinc.org|44261-6") + "&")
            .size() < ids(fromFiles, "Observation?").size(), "the code search filters");
      }
    }
  }

  @Test
  void aLineWithoutMetaNamesTheFileAndLine(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("Patient.ndjson"),
        "{\"resourceType\":\"Patient\",\"id\":\"p1\"}\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DemoClinic.startFromNdjson(ClinicProfile.NORTH, dir, ClinicServerOptions.defaults()));
    assertTrue(e.getMessage().startsWith("Patient.ndjson line 1: "), e.getMessage());
  }

  private static JsonNode first(Path dir, String type) throws IOException {
    return JSON.readTree(Files.readAllLines(dir.resolve(type + ".ndjson")).get(0));
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static Set<String> ids(DemoClinic clinic, String search) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
        URI.create(clinic.baseUrl() + "/" + search + "_count=1000")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), search);
    JsonNode bundle = JSON.readTree(response.body());
    assertTrue(bundle.path("link").findValues("relation").stream()
        .noneMatch(r -> r.asText().equals("next")), "one page: " + search);
    Set<String> ids = new TreeSet<>();
    bundle.path("entry").forEach(e -> ids.add(e.at("/resource/id").asText()));
    return ids;
  }
}
