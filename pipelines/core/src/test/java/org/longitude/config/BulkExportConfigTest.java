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

/** The bulk-export source's keys: what it takes, its poll deadline, what it refuses. */
class BulkExportConfigTest {

  /** A study in a fresh folder under {@code root}, one clinic with {@code source}. */
  private static Path study(Path root, String source) throws IOException {
    Path dir = Files.createTempDirectory(root, "study");
    Files.writeString(dir.resolve("clinic.yaml"), "clinic: c1\n");
    return StudyFiles.oneClinicStudy(dir, "s1", "c1", "clinic.yaml", source);
  }

  private static Source load(Path dir, String source) throws IOException {
    return StudyLoader.load(Location.file(study(dir, source))).clinics().get(0).source();
  }

  private static String refusal(Path dir, String source) throws IOException {
    Path file = study(dir, source);
    return assertThrows(ConfigException.class, () -> StudyLoader.load(Location.file(file)))
        .getMessage();
  }

  @Test
  void pollDeadlineIsADurationOrSecondsWithADefaultOfOneHour(@TempDir Path dir)
      throws IOException {
    assertEquals(Duration.ofHours(1), load(dir,
        "{kind: bulk-export, base_url: \"https://fhir.example/r4\"}").pollDeadlineOrDefault());
    Source thirty = load(dir,
        "{kind: bulk-export, base_url: \"https://fhir.example/r4\", poll_deadline: PT30M}");
    assertEquals(Source.Kind.BULK_EXPORT, thirty.kind());
    assertEquals(Duration.ofMinutes(30), thirty.pollDeadlineOrDefault());
    assertEquals(Duration.ofSeconds(90), load(dir,
        "{kind: bulk-export, base_url: \"https://fhir.example/r4\", poll_deadline: 90}")
        .pollDeadlineOrDefault());
  }

  @Test
  void badPollDeadlineIsRefusedWithTheFix(@TempDir Path dir) throws IOException {
    String message = refusal(dir,
        "{kind: bulk-export, base_url: \"https://fhir.example/r4\", poll_deadline: soon}");
    for (String part : new String[] {"study.yaml", "clinics[0].source.poll_deadline", "'soon'",
        "PT30M"}) {
      assertTrue(message.contains(part), part + " not in: " + message);
    }
    assertTrue(refusal(dir, "{kind: bulk-export, base_url: \"https://fhir.example/r4\", "
        + "poll_deadline: PT0S}").contains("not a positive duration"));
  }

  @Test
  void keysOfOtherKindsAreRefused(@TempDir Path dir) throws IOException {
    String pageSize = refusal(dir,
        "{kind: bulk-export, base_url: \"https://fhir.example/r4\", page_size: 100}");
    assertTrue(pageSize.contains("clinics[0].source.page_size is not used by kind bulk-export"),
        pageSize);
    String deadline = refusal(dir,
        "{kind: fhir-search, base_url: \"https://fhir.example/r4\", poll_deadline: PT1M}");
    assertTrue(deadline.contains("poll_deadline applies only to kind bulk-export"), deadline);
    String noBase = refusal(dir, "{kind: bulk-export}");
    assertTrue(noBase.contains("'clinics[0].source.base_url' is missing"), noBase);
  }
}
