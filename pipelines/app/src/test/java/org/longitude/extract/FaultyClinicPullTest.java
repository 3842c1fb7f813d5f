package org.longitude.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.longitude.config.Source;
import org.longitude.config.Study;
import org.longitude.demo.ClinicDataset;
import org.longitude.demo.ClinicServerOptions;
import org.longitude.demo.DemoClinic;
import org.longitude.demo.FaultPlan.Fault;
import org.longitude.demo.FaultPlan;
import org.longitude.demo.SyntheticStudy;

/**
 * Pulls a demo clinic that injects faults: transient ones are retried and nothing is lost or
 * doubled; permanent ones fail the pull with a message naming the clinic and the URL only.
 */
class FaultyClinicPullTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Retry FAST = new Retry(6, Duration.ofMillis(20), Duration.ofSeconds(3));
  private static ClinicDataset data;

  @BeforeAll
  static void generate() {
    data = SyntheticStudy.generate(5, 10).clinic("north");
  }

  @Test
  void transientFaultsLoseNothingAndDoubleNothing() {
    FaultPlan plan = FaultPlan.none().withRetryAfterSeconds(0).withSlowMillis(1500)
        .with(FaultPlan.every(Fault.UNAVAILABLE, 4))
        .with(FaultPlan.at(Fault.SERVER_ERROR, 2))
        .with(FaultPlan.at(Fault.TOO_MANY_REQUESTS, 3))
        .with(FaultPlan.at(Fault.CONNECTION_RESET, 5))
        .with(FaultPlan.at(Fault.SLOW_RESPONSE, 6))
        .with(FaultPlan.every(Fault.SERVER_ERROR, 7).onPages());
    try (DemoClinic clinic = DemoClinic.start(data, ClinicServerOptions.defaults()
        .withFaults(plan))) {
      FhirSearchPull pull = new FhirSearchPull(
          new FhirHttp(FAST, Duration.ofSeconds(2), Duration.ofMillis(700)));
      for (String type : Study.TIMELINE_TYPES) {
        List<String> ids = new ArrayList<>();
        int pages = pull.pull(task(clinic, type, 9), json -> ids.add(id(json)));
        assertTrue(pages > 1, type + " is paged");
        assertEquals(new HashSet<>(ids).size(), ids.size(), type + ": duplicates");
        assertEquals(expected(type), new HashSet<>(ids), type);
      }
      for (Fault fault : List.of(Fault.UNAVAILABLE, Fault.SERVER_ERROR, Fault.TOO_MANY_REQUESTS,
          Fault.CONNECTION_RESET, Fault.SLOW_RESPONSE)) {
        assertTrue(clinic.injected(fault) > 0, fault + " was injected");
      }
    }
  }

  @Test
  void retryAfterIsHonoured() {
    FaultPlan plan = FaultPlan.none().withRetryAfterSeconds(1)
        .with(FaultPlan.at(Fault.TOO_MANY_REQUESTS, 1))
        .with(FaultPlan.at(Fault.UNAVAILABLE, 2));
    try (DemoClinic clinic = DemoClinic.start(data, ClinicServerOptions.defaults()
        .withFaults(plan))) {
      FhirSearchPull pull = new FhirSearchPull(
          new FhirHttp(FAST, Duration.ofSeconds(2), Duration.ofSeconds(5)));
      List<String> ids = new ArrayList<>();
      long start = System.nanoTime();
      pull.pull(task(clinic, "Patient", 100), json -> ids.add(id(json)));
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(millis >= 2000, "waited " + millis + " ms for two Retry-After: 1");
      assertEquals(expected("Patient"), new HashSet<>(ids));
    }
  }

  @Test
  void retriesAreBounded() {
    FaultPlan plan = FaultPlan.none().withRetryAfterSeconds(0)
        .with(FaultPlan.every(Fault.UNAVAILABLE, 1));
    try (DemoClinic clinic = DemoClinic.start(data, ClinicServerOptions.defaults()
        .withFaults(plan))) {
      FhirSearchPull pull = new FhirSearchPull(new FhirHttp(
          new Retry(3, Duration.ofMillis(10), Duration.ofMillis(50)), Duration.ofSeconds(2),
          Duration.ofSeconds(5)));
      PullFailedException e = assertThrows(PullFailedException.class,
          () -> pull.pull(task(clinic, "Patient", 100), json -> { }));
      assertEquals(3, clinic.injected(Fault.UNAVAILABLE));
      assertTrue(e.getMessage().contains("HTTP 503") && e.getMessage().contains("3 attempt"),
          e.getMessage());
    }
  }

  @Test
  void truncatedPageFailsTheClinic() {
    assertPermanent(FaultPlan.at(Fault.TRUNCATED_PAGE, 2).onPages(), "_getpages");
  }

  @Test
  void nonJsonPageFailsTheClinic() {
    assertPermanent(FaultPlan.at(Fault.NOT_JSON, 3), "_getpages");
  }

  @Test
  void nextLinkThat404sFailsTheClinic() {
    assertPermanent(FaultPlan.at(Fault.NEXT_LINK_NOT_FOUND, 1), "HTTP 404");
  }

  @Test
  void operationOutcomeFailsTheClinic() {
    assertPermanent(FaultPlan.at(Fault.OPERATION_OUTCOME, 1), "OperationOutcome with errors");
  }

  /** The Observation pull fails for good, once, naming clinic and URL, and quoting no data. */
  private static void assertPermanent(FaultPlan.Rule rule, String expectedInMessage) {
    try (DemoClinic clinic = DemoClinic.start(data, ClinicServerOptions.defaults()
        .withFaults(FaultPlan.none().with(rule)))) {
      FhirSearchPull pull = new FhirSearchPull(
          new FhirHttp(FAST, Duration.ofSeconds(2), Duration.ofSeconds(5)));
      List<String> ids = new ArrayList<>();
      PullFailedException e = assertThrows(PullFailedException.class,
          () -> pull.pull(task(clinic, "Observation", 10), json -> ids.add(id(json))));
      String message = e.getMessage();
      assertEquals(1, clinic.injected(rule.fault()), "not retried");
      assertTrue(message.startsWith("clinic 'north': Observation search failed at "
          + clinic.baseUrl()), message);
      assertTrue(message.contains(expectedInMessage), message);
      assertEquals(0, ids.size() % 10, "only complete pages were handed on");
      assertTrue(ids.size() < clinic.count("Observation"));
      for (Patient p : data.resources(Patient.class)) {
        assertFalse(message.contains(p.getNameFirstRep().getFamily()), "no PHI: " + message);
        assertFalse(message.contains(p.getIdElement().getIdPart()), "no ids: " + message);
      }
      assertFalse(message.contains("resourceType\":"), message);
    }
  }

  private static PullTask task(DemoClinic clinic, String type, int pageSize) {
    return new PullTask("north", new Source(Source.Kind.FHIR_SEARCH, clinic.baseUrl(), pageSize,
        null), type, "", null);
  }

  private static Set<String> expected(String type) {
    return data.resources().stream().filter(r -> r.fhirType().equals(type))
        .map(Resource::getIdElement).map(i -> i.getIdPart()).collect(Collectors.toSet());
  }

  static String id(String json) {
    try {
      return JSON.readTree(json).path("id").asText();
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }
}
