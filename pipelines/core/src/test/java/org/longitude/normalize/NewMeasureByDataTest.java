package org.longitude.normalize;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.longitude.common.Reason;
import org.longitude.config.Location;
import org.longitude.config.Study;
import org.longitude.config.StudyLoader;
import org.longitude.testing.StudyFiles;

/**
 * MADRS — which has no LOINC total — added by data alone: a catalogue entry and a clinic's
 * local codes. No code knows about it.
 */
class NewMeasureByDataTest {
  private static final String LOCAL = "http://riverside.example.org/scales";

  @Test
  void madrsFromLocalCodesWithProratedMissingItem(@TempDir Path dir) throws IOException {
    Study study = StudyLoader.load(Location.file(writeStudy(dir)));
    ResourceReader reader = new ResourceReader("riverside", study.catalog(),
        study.clinicsById().get("riverside").mapping(), LocalDate.of(2026, 6, 30));

    Fact.ScoreFact total = (Fact.ScoreFact) reader.read("Observation",
        madrs("m1", "\"valueInteger\":31", "")).fact();
    assertEquals("MADRS", total.measure());
    assertEquals(31, total.total());

    // Nine of ten items answered (sum 27): prorated to 27 x 10 / 9 = 30.
    StringBuilder items = new StringBuilder(",\"component\":[");
    for (int i = 1; i <= 9; i++) {
      items.append(i == 1 ? "" : ",").append("{\"code\":{\"coding\":[{\"system\":\"")
          .append(LOCAL).append("\",\"code\":\"MADRS-").append(i)
          .append("\"}]},\"valueInteger\":3}");
    }
    items.append("]");
    Fact.ScoreFact prorated = (Fact.ScoreFact) reader.read("Observation",
        madrs("m2", "", items.toString()).replace("MADRS-TOTAL", "MADRS-PANEL")).fact();
    assertEquals(30, prorated.total());

    assertEquals(Reason.VALUE_OUT_OF_RANGE, reader.read("Observation",
        madrs("m3", "\"valueInteger\":61", "")).dropped().reason());
  }

  private static String madrs(String id, String value, String extra) {
    return "{\"resourceType\":\"Observation\",\"id\":\"" + id + "\",\"status\":\"final\","
        + "\"code\":{\"coding\":[{\"system\":\"" + LOCAL + "\",\"code\":\"MADRS-TOTAL\"}]},"
        + "\"subject\":{\"reference\":\"Patient/p1\"},\"effectiveDateTime\":\"2025-01-02\""
        + (value.isEmpty() ? "" : "," + value) + extra + "}";
  }

  private static Path writeStudy(Path dir) throws IOException {
    String catalogue;
    try (InputStream in = NewMeasureByDataTest.class.getClassLoader()
        .getResourceAsStream("longitude/fhir-mappings/measures.yaml")) {
      catalogue = new String(in.readAllBytes());
    }
    Files.writeString(dir.resolve("measures.yaml"), catalogue + """
          MADRS:
            name: Montgomery-Asberg Depression Rating Scale
            range: [0, 60]
            item_range: [0, 6]
            item_count: 10
            max_missing_items: 1
        """);
    StringBuilder codes = new StringBuilder("""
        clinic: riverside
        codes:
          - {system: "%1$s", code: MADRS-TOTAL, measure: MADRS, role: total}
          - {system: "%1$s", code: MADRS-PANEL, measure: MADRS, role: panel}
        """.formatted(LOCAL));
    for (int i = 1; i <= 10; i++) {
      codes.append("  - {system: \"" + LOCAL + "\", code: MADRS-" + i
          + ", measure: MADRS, role: item, item: " + i + "}\n");
    }
    Files.writeString(dir.resolve("riverside.yaml"), codes.toString());
    return StudyFiles.oneClinicStudy(dir, "madrs", "riverside", "riverside.yaml",
        "{kind: ndjson, directory: data}");
  }
}
