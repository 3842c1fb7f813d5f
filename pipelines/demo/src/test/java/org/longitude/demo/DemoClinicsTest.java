package org.longitude.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.DateRangeParam;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DemoClinicsTest {

  private static final Instant MUTATION_TIME = Instant.parse("2026-07-01T12:00:00Z");
  private static final FhirContext FHIR = FhirContext.forR4Cached();

  private static SyntheticStudy study;
  private static DemoClinics clinics;

  @BeforeAll
  static void start() {
    FHIR.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
    study = SyntheticStudy.generate(99, 12);
    clinics = DemoClinics.start(study);
  }

  @AfterAll
  static void stop() {
    clinics.close();
  }

  @Test
  void serverPagingReturnsEveryObservationExactlyOnce() {
    for (DemoClinic clinic : clinics.clinics()) {
      ClinicDataset data = study.clinic(clinic.clinicId());
      assertTrue(clinic.baseUrl().matches("http://127\\.0\\.0\\.1:\\d+/fhir"), clinic.baseUrl());
      Bundle first = client(clinic).search().forResource(Observation.class).count(37)
          .returnBundle(Bundle.class).execute();
      assertEquals(37, first.getEntry().size());
      assertNotNull(first.getLink(Bundle.LINK_NEXT));
      List<String> ids = collect(clinic, first);
      assertEquals(new HashSet<>(ids).size(), ids.size(), "duplicates across pages");
      assertEquals(ids(data.resources(Observation.class)), new HashSet<>(ids));
      assertEquals(clinic.count("Observation"), ids.size());
    }
  }

  @Test
  void defaultPageSizeIsFifty() {
    DemoClinic north = clinics.clinic("north");
    Bundle page = client(north).search().forResource(Patient.class).returnBundle(Bundle.class)
        .execute();
    assertEquals(12, page.getEntry().size());
    page = client(north).search().forResource(MedicationAdministration.class)
        .returnBundle(Bundle.class).execute();
    assertEquals(50, page.getEntry().size());
  }

  @Test
  void codeFilterReturnsExactlyThatCode() {
    DemoClinic harbor = clinics.clinic("harbor");
    Bundle page = client(harbor).search().forResource(Observation.class)
        .where(Observation.CODE.exactly().systemAndCode(ClinicProfile.HARBOR_ASSESSMENTS, "PHQ9"))
        .count(40).returnBundle(Bundle.class).execute();
    Set<String> expected = study.clinic("harbor").resources(Observation.class).stream()
        .filter(o -> o.getCode().getCodingFirstRep().getCode().equals("PHQ9"))
        .map(o -> o.getIdElement().getIdPart()).collect(Collectors.toSet());
    assertEquals(expected, new HashSet<>(collect(harbor, page)));

    DemoClinic north = clinics.clinic("north");
    page = client(north).search().forResource(Observation.class)
        .where(Observation.CODE.exactly().systemAndCode(CodeSystems.LOINC, "70274-6"))
        .returnBundle(Bundle.class).execute();
    expected = study.clinic("north").resources(Observation.class).stream()
        .filter(o -> o.getCode().getCodingFirstRep().getCode().equals("70274-6"))
        .map(o -> o.getIdElement().getIdPart()).collect(Collectors.toSet());
    assertEquals(expected, new HashSet<>(collect(north, page)));
    page = client(north).search().forResource(Observation.class)
        .where(Observation.CODE.exactly().systemAndCode("http://example.org/other", "70274-6"))
        .returnBundle(Bundle.class).execute();
    assertTrue(page.getEntry().isEmpty());
  }

  @Test
  void patientAndSubjectFiltersReturnThatPatientsRecords() {
    DemoClinic summit = clinics.clinic("summit");
    ClinicDataset data = study.clinic("summit");
    String patientId = data.resources(Patient.class).get(3).getIdElement().getIdPart();
    Set<String> expected = data.resources(Observation.class).stream()
        .filter(o -> o.getSubject().getReference().equals("Patient/" + patientId))
        .map(o -> o.getIdElement().getIdPart()).collect(Collectors.toSet());
    Bundle page = client(summit).search().forResource(Observation.class)
        .where(Observation.PATIENT.hasId("Patient/" + patientId)).count(25)
        .returnBundle(Bundle.class).execute();
    assertEquals(expected, new HashSet<>(collect(summit, page)));
    page = client(summit).search().forResource(Observation.class)
        .where(Observation.SUBJECT.hasId(patientId)).count(1000)
        .returnBundle(Bundle.class).execute();
    assertEquals(expected, new HashSet<>(collect(summit, page)));

    Bundle byId = client(summit).search().forResource(Patient.class)
        .where(new ca.uhn.fhir.rest.gclient.TokenClientParam("_id").exactly().code(patientId))
        .returnBundle(Bundle.class).execute();
    assertEquals(List.of(patientId), collect(summit, byId));
  }

  @Test
  void lastUpdatedGreaterThanIsExclusive() {
    DemoClinic north = clinics.clinic("north");
    List<Observation> all = new ArrayList<>(study.clinic("north").resources(Observation.class));
    all.sort((a, b) -> a.getMeta().getLastUpdated().compareTo(b.getMeta().getLastUpdated()));
    Observation pivot = all.get(all.size() / 2);
    String since = pivot.getMeta().getLastUpdatedElement().getValueAsString();
    Set<String> expected = all.stream()
        .filter(o -> o.getMeta().getLastUpdated().after(pivot.getMeta().getLastUpdated()))
        .map(o -> o.getIdElement().getIdPart()).collect(Collectors.toSet());
    Bundle page = client(north).search().forResource(Observation.class)
        .lastUpdated(new DateRangeParam(new DateParam("gt" + since), null)).count(37)
        .returnBundle(Bundle.class).execute();
    Set<String> got = new HashSet<>(collect(north, page));
    assertFalse(got.contains(pivot.getIdElement().getIdPart()));
    assertEquals(expected, got);
  }

  @Test
  void mutationsBumpVersionsAndShowUpInIncrementalSearches() {
    ClinicDataset data = SyntheticStudy.generate(5, 3).clinic("north");
    try (DemoClinic north = DemoClinic.start(data,
        ClinicServerOptions.defaults().withClock(Clock.fixed(MUTATION_TIME, ZoneOffset.UTC)))) {
      mutate(north, data.resources(Observation.class));
    }
  }

  private static void mutate(DemoClinic north, List<Observation> observations) {
    Observation changed = observations.get(5).copy();
    String changedId = changed.getIdElement().getIdPart();
    int oldVersion = Integer.parseInt(changed.getMeta().getVersionId());
    changed.setValue(new IntegerType(3)).setStatus(Observation.ObservationStatus.AMENDED);
    assertEquals(Integer.toString(oldVersion + 1), north.upsert(changed).getVersionIdPart());
    String retractedId = observations.get(6).getIdElement().getIdPart();
    north.retract("Observation", retractedId);

    IGenericClient client = client(north);
    Bundle page = client.search().forResource(Observation.class)
        .lastUpdated(new DateRangeParam(new DateParam("gt2026-06-30T12:00:00.000Z"), null))
        .returnBundle(Bundle.class).execute();
    assertEquals(Set.of(changedId, retractedId), new HashSet<>(collect(north, page)));
    Observation retracted = client.read().resource(Observation.class).withId(retractedId)
        .execute();
    assertEquals(Observation.ObservationStatus.ENTEREDINERROR, retracted.getStatus());
    assertEquals(MUTATION_TIME, retracted.getMeta().getLastUpdated().toInstant());
    Observation old = client.read().resource(Observation.class)
        .withIdAndVersion(changedId, Integer.toString(oldVersion)).execute();
    assertEquals(observations.get(5).getValueIntegerType().getValue(),
        old.getValueIntegerType().getValue());
    assertEquals(oldVersion + 1, north.history("Observation", changedId).size());
  }

  private static List<String> collect(DemoClinic clinic, Bundle first) {
    IGenericClient client = client(clinic);
    List<String> ids = new ArrayList<>();
    Bundle page = first;
    while (true) {
      for (Bundle.BundleEntryComponent e : page.getEntry()) {
        ids.add(e.getResource().getIdElement().getIdPart());
      }
      if (page.getLink(Bundle.LINK_NEXT) == null) {
        return ids;
      }
      page = client.loadPage().next(page).execute();
    }
  }

  private static Set<String> ids(List<? extends IBaseResource> resources) {
    return resources.stream().map(r -> ((Resource) r).getIdElement().getIdPart())
        .collect(Collectors.toSet());
  }

  /**
   * A page goes out in a few HTTP chunks, not one per JSON token (HAPI's Jackson flushes after
   * each value; without {@link HeldFlushes} a page of 40 Observations was 727 chunks).
   */
  @Test
  void aSearchPageIsSentInFewChunks() throws Exception {
    DemoClinic clinic = clinics.clinic("north");
    URI base = URI.create(clinic.baseUrl());
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.getOutputStream().write(("GET /fhir/Observation?_count=40 HTTP/1.1\r\nHost: "
          + base.getHost() + "\r\nAccept: application/fhir+json\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
      String line;
      boolean chunked = false;
      while (!(line = asciiLine(in)).isEmpty()) {
        chunked |= line.equalsIgnoreCase("Transfer-Encoding: chunked");
      }
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      int chunks = 0;
      if (chunked) {
        for (int size; (size = Integer.parseInt(asciiLine(in).trim(), 16)) > 0; chunks++) {
          body.write(in.readNBytes(size));
          asciiLine(in);
        }
      } else {
        body.write(in.readAllBytes());
        chunks = 1;
      }
      Bundle page = FHIR.newJsonParser().parseResource(Bundle.class, body.toString(
          StandardCharsets.UTF_8));
      assertEquals(40, page.getEntry().size());
      assertTrue(chunks <= 8, chunks + " chunks for a page of " + body.size() + " bytes");
    }
  }

  private static String asciiLine(DataInputStream in) throws java.io.IOException {
    StringBuilder line = new StringBuilder();
    for (int b; (b = in.read()) != '\n'; ) {
      if (b < 0) {
        throw new java.io.EOFException("the response ended inside a line");
      }
      if (b != '\r') {
        line.append((char) b);
      }
    }
    return line.toString();
  }

  private static IGenericClient client(DemoClinic clinic) {
    return FHIR.newRestfulGenericClient(clinic.baseUrl());
  }
}
