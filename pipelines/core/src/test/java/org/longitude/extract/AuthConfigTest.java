package org.longitude.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.longitude.config.ConfigException;
import org.longitude.config.Location;
import org.longitude.config.SourceAuth;
import org.longitude.config.Study;
import org.longitude.config.StudyLoader;
import org.longitude.testing.StudyFiles;

/** The study loader checks a source's auth object before any work starts. */
class AuthConfigTest {
  @TempDir Path dir;

  @Test
  void smartBackendResolvesTheKeyFileNextToTheStudy() throws Exception {
    Files.writeString(dir.resolve("client.pem"), "-----BEGIN PRIVATE KEY-----\n");
    Study study = load("{kind: smart-backend, client_id: longitude, token_url: "
        + "\"https://fhir.example/auth/token\", private_key_file: client.pem, algorithm: ES384}");
    SourceAuth auth = study.clinics().get(0).source().auth();
    assertEquals(SourceAuth.Kind.SMART_BACKEND, auth.kind());
    assertEquals(dir.resolve("client.pem").toString(), auth.privateKeyFile());
    assertEquals("system/*.read", auth.scopeOrDefault());
  }

  @Test
  void basicWithAPasswordFileLoads() throws Exception {
    Files.writeString(dir.resolve("pw"), "secret\n");
    Study study = load("{kind: basic, username: longitude, password_file: pw}");
    assertEquals("longitude", study.clinics().get(0).source().auth().username());
  }

  @Test
  void preciseMessages() throws Exception {
    Files.writeString(dir.resolve("pw"), "x");
    assertError("{kind: basic, username: u}",
        "clinics[0].source.auth: give exactly one of password_env");
    assertError("{kind: basic, username: u, password_env: A, password_file: pw}",
        "give exactly one of password_env");
    assertError("{kind: basic, password_file: pw}", "'clinics[0].source.auth.username' is missing");
    assertError("{kind: basic, username: u, password_file: pw, token_file: pw}",
        "clinics[0].source.auth.token_file is not used by kind basic");
    assertError("{kind: bearer, token_env: LONGITUDE_TEST_SURELY_UNSET_TOKEN}",
        "clinics[0].source.auth.token_env names the environment variable "
            + "LONGITUDE_TEST_SURELY_UNSET_TOKEN, which is not set");
    assertError("{kind: bearer, token_file: missing.txt}",
        "clinics[0].source.auth.token_file names " + dir.resolve("missing.txt")
            + ", which does not exist or is not readable");
    assertError("{kind: smart-backend, client_id: c, token_url: \"https://x/token\", "
        + "private_key_file: pw, algorithm: HS256}",
        "clinics[0].source.auth.algorithm must be RS384 (RSA key) or ES384");
    assertError("{kind: smart-backend, client_id: c, token_url: \"ftp://x\", "
        + "private_key_file: pw, algorithm: RS384}", "token_url must start with http");
    assertError("{kind: kerberos}", "unknown auth kind 'kerberos'");
  }

  @Test
  void aSecretWrittenInTheStudyIsRejectedWithoutBeingQuoted() {
    String message = assertError("{kind: basic, username: u, password: hunter2}",
        "unknown key 'password'");
    assertFalse(message.contains("hunter2"), message);
  }

  private String assertError(String auth, String expected) {
    ConfigException e = assertThrows(ConfigException.class, () -> load(auth));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    return e.getMessage();
  }

  private Study load(String auth) throws Exception {
    if (!Files.exists(dir.resolve("north.yaml"))) {
      StudyFiles.copy("longitude/fhir-mappings/clinics/north.yaml", dir.resolve("north.yaml"));
    }
    Path study = StudyFiles.oneClinicStudy(dir, "auth-test", "north", "north.yaml",
        "{kind: fhir-search, base_url: \"https://fhir.example/r4\", auth: " + auth + "}");
    return StudyLoader.load(Location.file(study));
  }
}
