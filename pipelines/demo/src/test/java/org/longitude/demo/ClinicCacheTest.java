package org.longitude.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClinicCacheTest {
  private static final SyntheticStudy STUDY = SyntheticStudy.generate(7, 6, null, true);

  @TempDir
  Path dir;

  @Test
  void keptClinicsServeEveryVersionByteForByte() throws IOException {
    ClinicCache cache = new ClinicCache(dir.resolve("cache"), "k");
    try (DemoClinics generated = DemoStudy.startClinics(STUDY)) {
      export(generated, dir.resolve("generated"));
      cache.keep(generated);
    }
    try (DemoClinics kept = DemoStudy.startClinics(cache.folder())) {
      export(kept, dir.resolve("kept"));
    }
    for (ClinicDataset clinic : STUDY.clinics()) {
      int lines = 0;
      for (String type : NdjsonExport.RESOURCE_TYPES) {
        Path file = Path.of(clinic.clinicId(), type + ".ndjson");
        byte[] generated = Files.readAllBytes(dir.resolve("generated").resolve(file));
        assertArrayEquals(generated, Files.readAllBytes(dir.resolve("kept").resolve(file)),
            file.toString());
        lines += Files.readAllLines(dir.resolve("kept").resolve(file)).size();
      }
      assertEquals(clinic.history().size(), lines, clinic.clinicId() + ": every version");
    }
  }

  @Test
  void keptClinicsAreLoadedWithoutGenerating() {
    ClinicCache cache = new ClinicCache(dir.resolve("cache"), "k");
    AtomicInteger generations = new AtomicInteger();
    for (int run = 0; run < 2; run++) {
      try (DemoClinics clinics = start(cache, generations)) {
        assertEquals(STUDY.clinic("north").resources().size(),
            NdjsonExport.RESOURCE_TYPES.stream().mapToInt(clinics.clinic("north")::count).sum());
      }
    }
    assertEquals(1, generations.get());
  }

  @Test
  void aDamagedFolderAnswersWhyAndIsGeneratedAgainNextTime() throws Exception {
    ClinicCache cache = kept();
    Path observations = cache.folder().resolve("north").resolve("Observation.ndjson");
    Files.writeString(observations, "{\"resourceType\":\"Observation\",\"id\":\n");
    AtomicInteger generations = new AtomicInteger();
    try (DemoClinics clinics = start(cache, generations)) {
      assertEquals(0, generations.get(), "loaded while the demo goes on");
      HttpResponse<String> north = get(clinics.clinic("north").baseUrl() + "/Observation");
      assertEquals(503, north.statusCode());
      assertTrue(north.body().contains("Observation.ndjson line 1: not a JSON resource"),
          north.body());
      assertThrows(CompletionException.class, () -> clinics.loaded().join());
      assertEquals(200, get(clinics.clinic("summit").baseUrl() + "/Patient").statusCode());
    }
    for (int i = 0; i < 100 && Files.exists(cache.folder()); i++) {
      Thread.sleep(50); // deleted once the load has failed
    }
    assertFalse(Files.exists(cache.folder()), "deleted");
    start(cache, generations).close();
    assertEquals(1, generations.get());
    List<String> lines = Files.readAllLines(observations);
    assertEquals(STUDY.clinic("north").history().stream()
        .filter(r -> r.fhirType().equals("Observation")).count(), lines.size());
    try (var kept = Files.list(dir.resolve("cache"))) {
      assertEquals(List.of(cache.folder()), kept.toList(), "no partial folder left");
    }
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aFolderMissingAFileIsGeneratedAgain() throws IOException {
    ClinicCache cache = kept();
    Path patients = cache.folder().resolve("summit").resolve("Patient.ndjson");
    Files.delete(patients);
    AtomicInteger generations = new AtomicInteger();
    try (DemoClinics clinics = start(cache, generations)) {
      assertEquals(1, generations.get());
      assertEquals(STUDY.clinic("summit").resources(org.hl7.fhir.r4.model.Patient.class).size(),
          clinics.clinic("summit").count("Patient"));
    }
    assertTrue(Files.isRegularFile(patients), "kept again");
  }

  /** A cache that holds the study's clinics. */
  private ClinicCache kept() throws IOException {
    ClinicCache cache = new ClinicCache(dir.resolve("cache"), "k");
    try (DemoClinics generated = DemoStudy.startClinics(STUDY)) {
      cache.keep(generated);
    }
    return cache;
  }

  /** The study's clinics from {@code cache}, counting the times they had to be generated. */
  private static DemoClinics start(ClinicCache cache, AtomicInteger generations) {
    return cache.start(() -> {
      generations.incrementAndGet();
      return DemoStudy.startClinics(STUDY);
    }, DemoStudy::startClinics);
  }

  @Test
  void keptOnlyWhereTheLauncherSays() {
    assertTrue(ClinicCache.fromLauncher(7, 6, true).isEmpty(), "no folder named");
    System.setProperty(ClinicCache.FOLDER_PROPERTY, dir.toString());
    try {
      assertTrue(ClinicCache.fromLauncher(7, 6, true).isEmpty(), "classes not from jars");
    } finally {
      System.clearProperty(ClinicCache.FOLDER_PROPERTY);
    }
  }

  private static void export(DemoClinics clinics, Path into) throws IOException {
    for (DemoClinic clinic : clinics.clinics()) {
      clinic.exportHistory(into.resolve(clinic.clinicId()));
    }
  }
}
