package org.longitude.pipeline;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricResults;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.longitude.common.Accounting;
import org.longitude.common.Outcome;
import org.longitude.common.Rows;
import org.longitude.common.Schemas;
import org.longitude.deid.SmallCells;
import org.longitude.extract.Extract;

/**
 * Where every record went, per clinic and resource type, rebuilt from the run's counters:
 * read = written + filtered + quarantined must hold for each.
 */
public final class RunSummary {
  private final String runId;
  private final Map<Accounting.Key, Long> counts;
  private final Set<String> clinics;
  private final Set<String> failedClinics;
  /** Per clinic: the smallest server time its searches (or exports) reported. */
  private final Map<String, Instant> highWaterMarks;
  /** Per clinic: records re-read from earlier runs' landings (incremental merge). */
  private final Map<String, Long> reread;

  RunSummary(String runId, Map<Accounting.Key, Long> counts, Set<String> clinics,
      Set<String> failedClinics) {
    this(runId, counts, clinics, failedClinics, Map.of(), Map.of());
  }

  RunSummary(String runId, Map<Accounting.Key, Long> counts, Set<String> clinics,
      Set<String> failedClinics, Map<String, Instant> highWaterMarks, Map<String, Long> reread) {
    this.runId = runId;
    this.counts = counts;
    this.clinics = clinics;
    this.failedClinics = failedClinics;
    this.highWaterMarks = highWaterMarks;
    this.reread = reread;
  }

  public static RunSummary from(MetricResults metrics, String runId, List<String> clinics) {
    Map<Accounting.Key, Long> counts = new TreeMap<>(
        java.util.Comparator.comparing(Accounting.Key::toString));
    for (MetricResult<Long> c : query(metrics, Accounting.NAMESPACE).getCounters()) {
      counts.merge(Accounting.Key.parse(c.getName().getName()), c.getAttempted(), Long::sum);
    }
    Set<String> failed = new TreeSet<>();
    for (MetricResult<Long> c : query(metrics, Extract.CLINICS_NAMESPACE).getCounters()) {
      String name = c.getName().getName();
      if (name.endsWith("|failed") && c.getAttempted() > 0) {
        failed.add(name.substring(0, name.length() - "|failed".length()));
      }
    }
    Map<String, Long> reread = new TreeMap<>();
    for (MetricResult<Long> c : query(metrics, Extract.CLINICS_NAMESPACE).getCounters()) {
      String name = c.getName().getName();
      if (name.endsWith(Extract.REREAD) && c.getAttempted() > 0) {
        reread.merge(name.substring(0, name.length() - Extract.REREAD.length()),
            c.getAttempted(), Long::sum);
      }
    }
    Map<String, Instant> marks = new TreeMap<>();
    for (MetricResult<DistributionResult> d
        : query(metrics, Extract.CLINICS_NAMESPACE).getDistributions()) {
      String name = d.getName().getName();
      if (name.endsWith(Extract.HIGH_WATER_MARK) && d.getAttempted().getCount() > 0) {
        marks.put(name.substring(0, name.length() - Extract.HIGH_WATER_MARK.length()),
            Instant.ofEpochMilli(d.getAttempted().getMin()));
      }
    }
    return new RunSummary(runId, counts, new TreeSet<>(clinics), failed, marks, reread);
  }

  /** Per clinic, the server time of its pull (the smallest reported): its next mark. */
  public Map<String, Instant> highWaterMarks() {
    return highWaterMarks;
  }

  /** Per clinic, how many of the records read were re-read from earlier landings. */
  public Map<String, Long> reread() {
    return reread;
  }

  private static MetricQueryResults query(MetricResults metrics, String namespace) {
    return metrics.queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.inNamespace(namespace)).build());
  }

  public Set<String> failedClinics() {
    return failedClinics;
  }

  /** Total of an outcome, optionally for one clinic and resource type (null = all). */
  public long total(String clinic, String resourceType, Outcome outcome) {
    return counts.entrySet().stream()
        .filter(e -> e.getKey().outcome() == outcome
            && (clinic == null || e.getKey().clinic().equals(clinic))
            && (resourceType == null || e.getKey().resourceType().equals(resourceType)))
        .mapToLong(Map.Entry::getValue).sum();
  }

  /** Count for one reason (filtered or quarantined) across clinics. */
  public long reason(String reason) {
    return counts.entrySet().stream()
        .filter(e -> e.getKey().reason() != null && e.getKey().reason().name().equals(reason))
        .mapToLong(Map.Entry::getValue).sum();
  }

  /** Clinic and resource type pairs for which read != written + filtered + quarantined. */
  public List<String> imbalances() {
    List<String> bad = new ArrayList<>();
    for (String[] ct : clinicTypes()) {
      long read = total(ct[0], ct[1], Outcome.READ);
      long out = total(ct[0], ct[1], Outcome.WRITTEN) + total(ct[0], ct[1], Outcome.FILTERED)
          + total(ct[0], ct[1], Outcome.QUARANTINED);
      if (read != out) {
        bad.add(ct[0] + "/" + ct[1] + ": read " + read + " but accounted " + out);
      }
    }
    return bad;
  }

  private List<String[]> clinicTypes() {
    Set<String> pairs = new TreeSet<>();
    counts.keySet().forEach(k -> pairs.add(k.clinic() + "\t" + k.resourceType()));
    return pairs.stream().map(p -> p.split("\t")).toList();
  }

  /** The human-readable summary. */
  public String render() {
    StringBuilder s = new StringBuilder();
    s.append(String.format("%-10s %-26s %9s %9s %9s %11s  %s%n", "clinic", "resource", "read",
        "written", "filtered", "quarantined", "check"));
    for (String[] ct : clinicTypes()) {
      long read = total(ct[0], ct[1], Outcome.READ);
      long written = total(ct[0], ct[1], Outcome.WRITTEN);
      long filtered = total(ct[0], ct[1], Outcome.FILTERED);
      long quarantined = total(ct[0], ct[1], Outcome.QUARANTINED);
      s.append(String.format("%-10s %-26s %9d %9d %9d %11d  %s%n", ct[0], ct[1], read, written,
          filtered, quarantined, read == written + filtered + quarantined ? "ok" : "MISMATCH"));
    }
    Map<String, Long> reasons = new TreeMap<>();
    counts.forEach((k, v) -> {
      if (k.reason() != null) {
        reasons.merge(k.outcome().label() + " " + k.reason().name(), v, Long::sum);
      }
    });
    if (!reasons.isEmpty()) {
      s.append("by reason:\n");
      reasons.forEach((r, n) -> s.append(String.format("  %-40s %9d%n", r, n)));
    }
    for (String clinic : clinics) {
      s.append("clinic ").append(clinic).append(": ")
          .append(failedClinics.contains(clinic) ? "FAILED (pull incomplete)" : "ok");
      if (reread.containsKey(clinic)) {
        s.append("; incremental: ").append(reread.get(clinic))
            .append(" of the records read were re-read from earlier landings");
      }
      s.append('\n');
    }
    return s.toString();
  }

  /** Rows of the {@code run_summary} table (record counts, not suppressed). */
  public List<GenericRecord> runSummaryRows() {
    Schema schema = Schemas.load(Schemas.RUN_SUMMARY);
    List<GenericRecord> rows = new ArrayList<>();
    Map<String, Long> merged = new TreeMap<>();
    counts.forEach((k, v) -> merged.merge(String.join("\t", k.clinic(), k.resourceType(),
        k.outcome().label(), k.reason() == null ? "" : k.reason().name()), v, Long::sum));
    merged.forEach((key, n) -> {
      String[] p = key.split("\t", -1);
      rows.add(Rows.of(schema).set("run_id", runId).set("clinic", p[0])
          .set("resource_type", p[1]).set("outcome", p[2])
          .set("reason", p[3].isEmpty() ? null : p[3]).set("records", n)
          .set("clinic_status", failedClinics.contains(p[0]) ? "failed" : "ok").build());
    });
    return rows;
  }

  /** Rows of the research {@code quarantine} table: counts by clinic, type, reason, measure. */
  public List<GenericRecord> quarantineRows(SmallCells cells) {
    Schema schema = Schemas.load(Schemas.QUARANTINE);
    List<GenericRecord> rows = new ArrayList<>();
    counts.forEach((k, n) -> {
      if (k.outcome() == Outcome.QUARANTINED) {
        rows.add(Rows.of(schema).set("clinic", k.clinic()).set("resource_type", k.resourceType())
            .set("reason", k.reason().name()).set("measure", k.measure())
            .set("stage", stageOf(k.reason())).set("records", cells.show(n))
            .set("suppressed", cells.isSmall(n)).set("run_id", runId).build());
      }
    });
    return rows;
  }

  private static String stageOf(org.longitude.common.Reason reason) {
    return switch (reason) {
      case SUBJECT_NOT_FOUND, DATE_BEFORE_BIRTH, INCOMPLETE_ITEMS -> "normalize/timeline";
      default -> "normalize";
    };
  }
}
