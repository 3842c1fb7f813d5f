package org.longitude.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.longitude.config.Source;
import org.longitude.config.SourceAuth;
import org.longitude.demo.ClinicDataset;
import org.longitude.demo.ClinicServerOptions;
import org.longitude.demo.DemoClinic;
import org.longitude.demo.ServerAuth;
import org.longitude.demo.SyntheticStudy;

/** Each kind of auth against a demo clinic that requires it, and wrong credentials failing. */
class ClinicAuthTest {
  private static final Retry FAST = new Retry(3, Duration.ofMillis(20), Duration.ofSeconds(1));
  private static final String PASSWORD = "correct-horse-battery";
  private static final String TOKEN = "static-token-4f1c9a";
  private static ClinicDataset data;

  @TempDir Path dir;

  @BeforeAll
  static void generate() {
    data = SyntheticStudy.generate(8, 6).clinic("summit");
  }

  @Test
  void basic() throws Exception {
    try (DemoClinic clinic = start(ServerAuth.basic("longitude", PASSWORD))) {
      assertPulls(clinic, SourceAuth.basic("longitude", null, secretFile("pw", PASSWORD)));
      assertRefused(clinic, SourceAuth.basic("longitude", null, secretFile("bad", "wrong-pw")),
          "refused the credentials", "wrong-pw");
      assertRefused(clinic, null, "HTTP 401", PASSWORD);
    }
  }

  @Test
  void bearer() throws Exception {
    try (DemoClinic clinic = start(ServerAuth.bearer(TOKEN))) {
      assertPulls(clinic, SourceAuth.bearer(null, secretFile("token", TOKEN + "\n")));
      assertRefused(clinic, SourceAuth.bearer(null, secretFile("bad", "stale-token-77")),
          "refused the credentials", "stale-token-77");
    }
  }

  @Test
  void missingSecretFailsWithItsNameOnly() {
    try (DemoClinic clinic = start(ServerAuth.bearer(TOKEN))) {
      SourceAuth auth = SourceAuth.bearer("LONGITUDE_TEST_SURELY_UNSET_TOKEN", null);
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> new FhirHttp(FAST, Duration.ofSeconds(2), Duration.ofSeconds(5), auth));
      assertEquals("the token environment variable LONGITUDE_TEST_SURELY_UNSET_TOKEN is not set",
          e.getMessage());
    }
  }

  @Test
  void smartBackendRs384CachesItsToken() throws Exception {
    KeyPair keys = rsa();
    try (DemoClinic clinic = start(ServerAuth.smartBackend("longitude", keys.getPublic(),
        Duration.ofMinutes(5)))) {
      SourceAuth auth = SourceAuth.smartBackend("longitude", clinic.tokenUrl(),
          pem("rsa.pem", keys), "RS384");
      assertPulls(clinic, auth);
      assertEquals(1, clinic.tokensIssued(), "one token for every page of every type");
      assertRefused(clinic, SourceAuth.smartBackend("longitude", clinic.tokenUrl(),
          pem("other.pem", rsa()), "RS384"), "refused client 'longitude'", null);
      assertRefused(clinic, SourceAuth.smartBackend("intruder", clinic.tokenUrl(),
          pem("rsa2.pem", keys), "RS384"), "refused client 'intruder'", null);
    }
  }

  @Test
  void smartBackendEs384RefreshesBeforeExpiry() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp384r1"));
    KeyPair keys = generator.generateKeyPair();
    try (DemoClinic clinic = start(ServerAuth.smartBackend("longitude", keys.getPublic(),
        Duration.ofSeconds(3)))) {
      SourceAuth auth = SourceAuth.smartBackend("longitude", clinic.tokenUrl(),
          pem("ec.pem", keys), "ES384");
      FhirSearchPull pull = new FhirSearchPull(
          new FhirHttp(FAST, Duration.ofSeconds(2), Duration.ofSeconds(5), auth));
      List<String> ids = new ArrayList<>();
      pull.pull(task(clinic, auth, "Patient"), json -> ids.add(FaultyClinicPullTest.id(json)));
      assertEquals(1, clinic.tokensIssued());
      Thread.sleep(2600); // past the refresh point (lifetime less a fifth), before expiry
      pull.pull(task(clinic, auth, "Patient"), json -> ids.add(FaultyClinicPullTest.id(json)));
      assertEquals(2, clinic.tokensIssued(), "refreshed before it expired");
      assertEquals(2 * expected("Patient").size(), ids.size());
    }
  }

  private void assertPulls(DemoClinic clinic, SourceAuth auth) {
    FhirSearchPull pull = new FhirSearchPull(
        new FhirHttp(FAST, Duration.ofSeconds(2), Duration.ofSeconds(5), auth));
    for (String type : List.of("Patient", "Observation")) {
      List<String> ids = new ArrayList<>();
      pull.pull(task(clinic, auth, type), json -> ids.add(FaultyClinicPullTest.id(json)));
      assertEquals(expected(type), new HashSet<>(ids), type);
      assertEquals(ids.size(), new HashSet<>(ids).size());
    }
  }

  private static void assertRefused(DemoClinic clinic, SourceAuth auth, String expected,
      String secret) {
    FhirSearchPull pull = new FhirSearchPull(
        new FhirHttp(FAST, Duration.ofSeconds(2), Duration.ofSeconds(5), auth));
    PullFailedException e = assertThrows(PullFailedException.class,
        () -> pull.pull(task(clinic, auth, "Patient"), json -> { }));
    assertTrue(e.getMessage().startsWith("clinic 'summit': Patient search failed at "),
        e.getMessage());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    for (String s : new String[] {secret, PASSWORD, TOKEN}) {
      if (s != null) {
        assertFalse(e.getMessage().contains(s), "no secret in: " + e.getMessage());
      }
    }
  }

  private static DemoClinic start(ServerAuth auth) {
    return DemoClinic.start(data, ClinicServerOptions.defaults().withAuth(auth));
  }

  private static PullTask task(DemoClinic clinic, SourceAuth auth, String type) {
    return new PullTask("summit", new Source(Source.Kind.FHIR_SEARCH, clinic.baseUrl(), 7, null,
        auth), type, "", null);
  }

  private String secretFile(String name, String content) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, content);
    return file.toString();
  }

  private String pem(String name, KeyPair keys) throws Exception {
    String body = Base64.getMimeEncoder(64, "\n".getBytes())
        .encodeToString(keys.getPrivate().getEncoded());
    return secretFile(name, "-----BEGIN PRIVATE KEY-----\n" + body
        + "\n-----END PRIVATE KEY-----\n");
  }

  private static KeyPair rsa() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return generator.generateKeyPair();
  }

  private static Set<String> expected(String type) {
    return data.resources().stream().filter(r -> r.fhirType().equals(type))
        .map(Resource::getIdElement).map(i -> i.getIdPart()).collect(Collectors.toSet());
  }
}
