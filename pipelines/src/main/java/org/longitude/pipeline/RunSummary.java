package org.longitude.pipeline;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricResults;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.longitude.common.Accounting;
import org.longitude.common.Outcome;
import org.longitude.deid.SmallCells;
import org.longitude.extract.Extract;

/**
 * Where every record went, per clinic and resource type, rebuilt from the run's counters:
 * read = written + filtered + quarantined must hold for each. The counts here are exact: what
 * leaves the restricted zone goes through {@link #research()}, which withholds small cells.
 */
public final class RunSummary {
  private final String runId;
  private final Map<Accounting.Key, Long> counts;
  private final Set<String> clinics;
  private final Set<String> failedClinics;
  private final SmallCells cells;
  /** Per clinic: the smallest server time its searches (or exports) reported. */
  private final Map<String, Instant> highWaterMarks;
  /** Per clinic: records re-read from earlier runs' landings (incremental merge). */
  private final Map<String, Long> reread;

  RunSummary(String runId, Map<Accounting.Key, Long> counts, Set<String> clinics,
      Set<String> failedClinics, SmallCells cells) {
    this(runId, counts, clinics, failedClinics, cells, Map.of(), Map.of());
  }

  RunSummary(String runId, Map<Accounting.Key, Long> counts, Set<String> clinics,
      Set<String> failedClinics, SmallCells cells, Map<String, Instant> highWaterMarks,
      Map<String, Long> reread) {
    this.runId = runId;
    this.cells = cells;
    this.counts = counts;
    this.clinics = clinics;
    this.failedClinics = failedClinics;
    this.highWaterMarks = highWaterMarks;
    this.reread = reread;
  }

  /**
   * @param cells the research zone's small-cell rule (the study's threshold); the exact
   *     counts stay available through {@link #restricted()} and {@link #total}
   */
  public static RunSummary from(MetricResults metrics, String runId, List<String> clinics,
      SmallCells cells) {
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
    return new RunSummary(runId, counts, new TreeSet<>(clinics), failed, cells, marks,
        reread);
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

  /**
   * Exact total of an outcome, optionally for one clinic and resource type (null = all): for
   * checks and the restricted zone; what is shown outside it comes from {@link #research()}.
   */
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
      if (!balanced(ct[0], ct[1])) {
        // No counts here: the list is logged, and a count of one clinic's patients is small.
        bad.add(ct[0] + "/" + ct[1]);
      }
    }
    return bad;
  }

  private List<String[]> clinicTypes() {
    Set<String> pairs = new TreeSet<>();
    counts.keySet().forEach(k -> pairs.add(k.clinic() + "\t" + k.resourceType()));
    return pairs.stream().map(p -> p.split("\t")).toList();
  }

  /** Whether read = written + filtered + quarantined for one clinic and resource type. */
  boolean balanced(String clinic, String resourceType) {
    return total(clinic, resourceType, Outcome.READ)
        == total(clinic, resourceType, Outcome.WRITTEN)
        + total(clinic, resourceType, Outcome.FILTERED)
        + total(clinic, resourceType, Outcome.QUARANTINED);
  }

  /** The accounting as the research zone may see it: small cells withheld. */
  public SummaryTables research() {
    return new SummaryTables(this, cells);
  }

  /** The exact accounting, for the restricted zone (the data steward) only. */
  public SummaryTables restricted() {
    return new SummaryTables(this, new SmallCells(0));
  }

  /** The text summary as the research zone may see it. */
  public String render() {
    return research().render();
  }

  String runId() {
    return runId;
  }

  Set<String> clinics() {
    return clinics;
  }

  Map<Accounting.Key, Long> counts() {
    return counts;
  }
}
