package org.longitude.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.longitude.common.Accounting;
import org.longitude.common.Outcome;
import org.longitude.common.Reason;
import org.longitude.release.SmallCells;
import org.longitude.release.SummaryTables;

/**
 * The run's accounting for each zone, worked through: clinic "small" has 7 patients (withheld
 * in research, exact in restricted); clinic "big" has 60 patients and 500 observations, 5 of
 * them quarantined (withheld, and the written count with them, else 500 - 495 gives 5 back).
 */
class SummaryTablesTest {
  private static final RunSummary SUMMARY = summary();

  private static RunSummary summary() {
    Map<Accounting.Key, Long> counts = new TreeMap<>(Comparator.comparing(String::valueOf));
    put(counts, "small", "Patient", Outcome.READ, null, null, 7);
    put(counts, "small", "Patient", Outcome.WRITTEN, null, null, 7);
    put(counts, "big", "Patient", Outcome.READ, null, null, 60);
    put(counts, "big", "Patient", Outcome.WRITTEN, null, null, 60);
    put(counts, "big", "Observation", Outcome.READ, null, null, 500);
    put(counts, "big", "Observation", Outcome.WRITTEN, null, "PHQ9", 300);
    put(counts, "big", "Observation", Outcome.WRITTEN, null, "GAD7", 195);
    put(counts, "big", "Observation", Outcome.QUARANTINED, Reason.FUTURE_DATE, "PHQ9", 5);
    return new RunSummary("r1", counts, Set.of("small", "big"), Set.of(), new SmallCells(10));
  }

  private static void put(Map<Accounting.Key, Long> counts, String clinic, String type,
      Outcome outcome, Reason reason, String measure, long n) {
    counts.put(new Accounting.Key(clinic, type, outcome, reason, measure), n);
  }

  private static GenericRecord row(List<GenericRecord> rows, String clinic, String type,
      String outcome) {
    return rows.stream().filter(r -> r.get("clinic").toString().equals(clinic)
        && r.get("resource_type").toString().equals(type)
        && r.get("outcome").toString().equals(outcome)).findFirst().orElseThrow();
  }

  @Test
  void aClinicWithSevenPatientsIsWithheldInResearchAndExactInRestricted() {
    List<GenericRecord> research = SUMMARY.research().runSummaryRows();
    for (String outcome : List.of("read", "written")) {
      GenericRecord r = row(research, "small", "Patient", outcome);
      assertNull(r.get("records"), outcome);
      assertEquals(true, r.get("suppressed"));
    }
    GenericRecord exact = row(SUMMARY.restricted().runSummaryRows(), "small", "Patient", "read");
    assertEquals(7L, exact.get("records"));
    assertEquals(false, exact.get("suppressed"));
    // the clinic's total over resource types would give the Patient count back
    assertNull(SUMMARY.research().total("small", null, Outcome.READ));
    assertEquals(7L, SUMMARY.restricted().total("small", null, Outcome.READ));
    // 60 patients are no small cell
    assertEquals(60L, row(research, "big", "Patient", "read").get("records"));
  }

  @Test
  void theComplementOfASmallQuarantinedCountIsWithheld() {
    List<GenericRecord> research = SUMMARY.research().runSummaryRows();
    assertNull(row(research, "big", "Observation", "quarantined").get("records"));
    assertNull(row(research, "big", "Observation", "written").get("records"),
        "written 495 with read 500 would give the 5 quarantined back");
    assertEquals(500L, row(research, "big", "Observation", "read").get("records"));
    GenericRecord q = SUMMARY.research().quarantineRows().get(0);
    assertNull(q.get("records"));
    assertEquals(true, q.get("suppressed"));
    assertEquals(5L, SUMMARY.restricted().quarantineRows().get(0).get("records"));
  }

  @Test
  void textShowsSuppressedNeverZeroAndKeepsTheExactCheck() {
    String research = SUMMARY.research().render();
    assertTrue(research.matches("(?s).*small +Patient +suppressed +suppressed +0 +0 +ok\n.*"),
        research);
    assertTrue(research.contains("suppressed: a count from 1 to 10"), research);
    assertFalse(research.matches("(?s).*small +Patient +7 .*"), research);
    String exact = SUMMARY.restricted().render();
    assertTrue(exact.matches("(?s).*small +Patient +7 +7 +0 +0 +ok\n.*"), exact);
    assertTrue(exact.matches("(?s).*big +Observation +500 +495 +0 +5 +ok\n.*"), exact);
    assertFalse(exact.contains("suppressed"));
  }

  @Test
  void imbalancesNameClinicAndTypeWithoutCounts() {
    Map<Accounting.Key, Long> counts = new TreeMap<>(Comparator.comparing(String::valueOf));
    put(counts, "small", "Patient", Outcome.READ, null, null, 7);
    put(counts, "small", "Patient", Outcome.WRITTEN, null, null, 6);
    RunSummary bad = new RunSummary("r2", counts, Set.of("small"), Set.of(), new SmallCells(10));
    assertEquals(List.of("small/Patient"), bad.imbalances());
    assertTrue(bad.research().render().contains("MISMATCH"));
  }
}
