package org.longitude.pipeline;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.longitude.common.Accounting;
import org.longitude.common.Ledger;
import org.longitude.common.Outcome;
import org.longitude.release.Accounts;
import org.longitude.release.SmallCells;
import org.longitude.release.SummaryTables;

/**
 * Where every record went, per clinic and resource type, read from the run's ledger file
 * (exact under retries, unlike metrics): read = written + filtered + quarantined must hold
 * for each. The counts here are exact: what
 * leaves the restricted zone goes through {@link #research()}, which withholds small cells.
 */
public final class RunSummary implements Accounts {
  private final String runId;
  private final Map<Accounting.Key, Long> counts;
  private final Set<String> clinics;
  private final Set<String> failedClinics;
  private final SmallCells cells;
  /** Per clinic: the smallest server time its searches (or exports) reported. */
  private final Map<String, Instant> highWaterMarks;
  /** Per clinic: records re-read from earlier runs' landings (incremental merge). */
  private final Map<String, Long> reread;
  /** The files the counted bundles wrote, with their lines. */
  private final Map<String, Long> files;
  /** Per clinic: the status URLs of its Bulk Data export jobs. */
  private final Map<String, List<String>> exportJobs;

  RunSummary(String runId, Map<Accounting.Key, Long> counts, Set<String> clinics,
      Set<String> failedClinics, SmallCells cells) {
    this(runId, counts, clinics, failedClinics, cells, Map.of(), Map.of(), Map.of(), Map.of());
  }

  RunSummary(String runId, Map<Accounting.Key, Long> counts, Set<String> clinics,
      Set<String> failedClinics, SmallCells cells, Map<String, Instant> highWaterMarks,
      Map<String, Long> reread, Map<String, Long> files, Map<String, List<String>> exportJobs) {
    this.runId = runId;
    this.cells = cells;
    this.counts = counts;
    this.clinics = clinics;
    this.failedClinics = failedClinics;
    this.highWaterMarks = highWaterMarks;
    this.reread = reread;
    this.files = files;
    this.exportJobs = exportJobs;
  }

  /**
   * The run's accounting from its ledger file's entries ({@link LedgerFile#read}).
   *
   * @param cells the research zone's small-cell rule (the study's threshold); the exact
   *     counts stay available through {@link #restricted()} and {@link #total}
   */
  public static RunSummary from(Map<String, Long> ledger, String runId, List<String> clinics,
      SmallCells cells) {
    Map<Accounting.Key, Long> counts = new TreeMap<>(
        java.util.Comparator.comparing(Accounting.Key::toString));
    Set<String> failed = new TreeSet<>();
    Map<String, Long> reread = new TreeMap<>();
    Map<String, Instant> marks = new TreeMap<>();
    Map<String, Long> files = new TreeMap<>();
    Map<String, List<String>> exportJobs = new TreeMap<>();
    ledger.forEach((key, n) -> {
      Ledger.ParsedKey k = Ledger.parseKey(key);
      String first = k.fields()[0];
      switch (k.kind()) {
        case RECORDS -> counts.merge(k.records(), n, Long::sum);
        case FAILED -> failed.add(first);
        case REREAD -> reread.merge(first, n, Long::sum);
        case HIGH_WATER_MARK -> marks.merge(first, Instant.ofEpochMilli(Long.parseLong(
            k.fields()[1])), (a, b) -> a.isBefore(b) ? a : b);
        case FILE -> files.put(String.join("|", k.fields()), n);
        case EXPORT_JOB -> exportJobs.computeIfAbsent(first, c -> new ArrayList<>())
            .add(String.join("|", List.of(k.fields()).subList(1, k.fields().length)));
      }
    });
    return new RunSummary(runId, counts, new TreeSet<>(clinics), failed, cells, marks, reread,
        files, exportJobs);
  }

  /** Per clinic, the status URLs of its Bulk Data export jobs (to delete when the run is done). */
  public Map<String, List<String>> exportJobs() {
    return exportJobs;
  }

  /** Per clinic, the server time of its pull (the smallest reported): its next mark. */
  public Map<String, Instant> highWaterMarks() {
    return highWaterMarks;
  }

  /** Per clinic, how many of the records read were re-read from earlier landings. */
  @Override
  public Map<String, Long> reread() {
    return reread;
  }

  /**
   * The files the run's counted bundles wrote to the restricted zone (landing, quarantine),
   * by path or URL, with their lines: any other file there was left by an attempt the runner
   * discarded.
   */
  public Map<String, Long> files() {
    return files;
  }

  @Override
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
  @Override
  public boolean balanced(String clinic, String resourceType) {
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

  @Override
  public String runId() {
    return runId;
  }

  @Override
  public Set<String> clinics() {
    return clinics;
  }

  @Override
  public Map<Accounting.Key, Long> counts() {
    return counts;
  }
}
