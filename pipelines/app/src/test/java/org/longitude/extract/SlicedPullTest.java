package org.longitude.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.longitude.config.Source;
import org.longitude.config.Study;
import org.longitude.demo.ClinicServerOptions;
import org.longitude.demo.DemoClinics;
import org.longitude.demo.DemoStudy;
import org.longitude.demo.SyntheticStudy;

/**
 * {@code _lastUpdated} slices, incremental {@code since} and {@code Cache-Control: no-cache}
 * against an embedded clinic over real HTTP.
 */
class SlicedPullTest {
  private static DemoClinics clinics;
  private static Study study;

  @BeforeAll
  static void start() {
    clinics = DemoClinics.start(SyntheticStudy.generate(21, 30),
        ClinicServerOptions.defaults().withStaleSearchCache(Duration.ofMinutes(5)));
    study = DemoStudy.against(clinics);
  }

  @AfterAll
  static void stop() {
    clinics.close();
  }

  private static Study.Clinic north(Source source) {
    return study.clinicsById().get("north").withSource(source);
  }

  private static Source search(int pageSize) {
    return new Source(Source.Kind.FHIR_SEARCH, clinics.clinic("north").baseUrl(), pageSize, null);
  }

  /** Every resource id the plan's tasks pull, in order, with each task's pages followed. */
  private static List<String> pull(Study.Clinic clinic, Map<String, String> since)
      throws Exception {
    Study one = study.withClinics(List.of(clinic));
    List<String> ids = new ArrayList<>();
    FhirSearchPull pull = new FhirSearchPull(FhirHttp.defaults());
    for (PullTask task : Extract.plan(one, since, Instant.now())) {
      pull.pull(task, json -> ids.add(task.resourceType() + "/"
          + FaultyClinicPullTest.id(json)));
    }
    return ids;
  }

  @Test
  void slicesTogetherPullExactlyWhatTheUnslicedSearchPulls() throws Exception {
    List<String> whole = pull(north(search(40)), Map.of());
    Study.Clinic sliced = north(search(40).withSlices(5, "2015-01-01"));
    assertEquals(5 * 4, Extract.plan(study.withClinics(List.of(sliced)), Map.of(),
        Instant.now()).size(), "a task per slice and resource type");

    List<String> slices = pull(sliced, Map.of());

    assertEquals(new HashSet<>(slices).size(), slices.size(), "each resource once");
    assertEquals(new HashSet<>(whole), new HashSet<>(slices));
    assertTrue(whole.size() > 200, "several pages per search: " + whole.size());
  }

  @Test
  void sliceBoundariesAreHalfOpenAndCoverEverything() {
    List<String> q = Slices.queries(3, Instant.parse("2020-01-01T00:00:00Z"),
        Instant.parse("2020-01-04T00:00:00Z"));
    assertEquals(List.of("_lastUpdated=lt2020-01-02T00:00:00.000Z",
        "_lastUpdated=ge2020-01-02T00:00:00.000Z&_lastUpdated=lt2020-01-03T00:00:00.000Z",
        "_lastUpdated=ge2020-01-03T00:00:00.000Z"), q);
    assertEquals(List.of(""), Slices.queries(3, Instant.parse("2020-01-04T00:00:00Z"),
        Instant.parse("2020-01-01T00:00:00Z")));
  }

  @Test
  void anIncrementalSearchSendsNoCacheAndSeesAChangeTheStaleCacheHides() throws Exception {
    Source source = search(1000);
    List<String> before = pull(north(source), Map.of());
    Patient p = new Patient();
    p.setId("late-arrival-1");
    p.addName().setFamily("Late");
    clinics.clinic("north").upsert(p);

    // Without no-cache the clinic answers the same search from its cache: no new patient.
    HttpResponse<String> stale = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(FhirSearchPull.firstUrl(new PullTask("north", source, "Patient", ""))))
        .header("Accept", "application/fhir+json").build(), HttpResponse.BodyHandlers.ofString());
    assertFalse(stale.body().contains("late-arrival-1"), "the emulated stale cache works");

    List<String> after = pull(north(source), Map.of());
    assertEquals(before.size() + 1, after.size());
    assertTrue(after.contains("Patient/late-arrival-1"));
  }

  @Test
  void sinceAsksOnlyForChangesAfterTheMark() throws Exception {
    Source source = search(1000);
    Instant mark = Instant.now().plusSeconds(3600); // after everything the clinic holds
    List<String> none = pull(north(source), Map.of("north", Slices.format(mark)));
    assertEquals(List.of(), none);
    PullTask task = new PullTask("north", source, "Patient", "", "2024-01-01T00:00:00Z");
    assertTrue(FhirSearchPull.firstUrl(task).endsWith(
        "/Patient?_lastUpdated=ge2024-01-01T00:00:00.000Z&_count=1000"),
        FhirSearchPull.firstUrl(task));
  }
}
