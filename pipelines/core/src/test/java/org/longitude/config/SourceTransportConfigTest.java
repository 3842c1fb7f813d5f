package org.longitude.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.longitude.testing.StudyFiles;

/** The transport keys of a fhir-search source: slices, time limit, trust store. */
class SourceTransportConfigTest {

  private static Path study(Path dir, String source) throws IOException {
    Files.writeString(dir.resolve("clinic.yaml"), "clinic: c1\n");
    return StudyFiles.oneClinicStudy(dir, "s1", "c1", "clinic.yaml", source);
  }

  private static String refused(Path dir, String source) throws IOException {
    Path file = study(dir, source);
    return assertThrows(ConfigException.class, () -> StudyLoader.load(Location.file(file)))
        .getMessage();
  }

  @Test
  void validKeysAreLoadedAndResolvedAgainstTheStudyFile(@TempDir Path dir) throws IOException {
    Source s = StudyLoader.load(Location.file(study(dir, "{kind: fhir-search, base_url: "
        + "\"https://fhir.example/r4\", slices: 4, slice_from: 2015-01-01, time_limit: 90m, "
        + "trust_store: ca.p12, trust_store_password_env: CA_PW}"))).clinics().get(0).source();
    assertEquals(4, s.slicesOrDefault());
    assertEquals(Duration.ofMinutes(90), s.timeLimitOrDefault());
    assertEquals(dir.resolve("ca.p12").toString(), s.trustStore());
    assertEquals("CA_PW", s.trustStorePasswordEnv());
  }

  @Test
  void theDefaultTimeLimitIsSixHours() {
    assertEquals(Duration.ofHours(6), new Source(Source.Kind.FHIR_SEARCH, "http://x", null, null)
        .timeLimitOrDefault());
    assertEquals(Duration.ofSeconds(45), Source.parseDuration("PT45S"));
  }

  @Test
  void slicesWithoutAStartAreRefused(@TempDir Path dir) throws IOException {
    String m = refused(dir, "{kind: fhir-search, base_url: \"http://x/fhir\", slices: 4}");
    assertTrue(m.contains("clinics[0].source.slices needs slice_from"), m);
  }

  @Test
  void aBadTimeLimitIsRefused(@TempDir Path dir) throws IOException {
    String m = refused(dir, "{kind: fhir-search, base_url: \"http://x/fhir\", time_limit: soon}");
    assertTrue(m.contains("time_limit must be like 6h"), m);
  }

  @Test
  void aTrustStoreNeedsHttpsAndAPasswordSource(@TempDir Path dir) throws IOException {
    String http = refused(dir, "{kind: fhir-search, base_url: \"http://x/fhir\", "
        + "trust_store: ca.p12, trust_store_password_env: CA_PW}");
    assertTrue(http.contains("trust_store applies only to https://"), http);
    String noPassword = refused(Files.createDirectories(dir.resolve("second")),
        "{kind: fhir-search, base_url: \"https://x/fhir\", "
        + "trust_store: ca.p12}");
    assertTrue(noPassword.contains("trust_store_password_env or trust_store_password_file"),
        noPassword);
  }
}
