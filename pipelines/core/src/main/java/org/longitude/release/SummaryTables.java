package org.longitude.release;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.longitude.common.Outcome;
import org.longitude.common.Reason;
import org.longitude.common.Schemas;

/**
 * A run's accounting as one zone may see it: the {@code run_summary} and {@code quarantine}
 * rows, the text summary and per-clinic totals. For the research zone, counts from 1 to the
 * small-cell threshold are withheld (null, shown as "suppressed"), and so is any count that
 * would give one back through the sums that tie them: per clinic and resource type, read =
 * written + filtered + quarantined (each by reason); and each quarantined count by reason =
 * its quarantine rows by measure. Counts of Patient resources are counts of people. For the
 * restricted zone (threshold 0) every count is exact.
 */
public final class SummaryTables {
  /** Shown in text for a withheld count (never 0). */
  public static final String SUPPRESSED = "suppressed";

  /** One run_summary cell. */
  record Row(String clinic, String resourceType, Outcome outcome, Reason reason) {}

  /** One quarantine cell. */
  record Quarantined(String clinic, String resourceType, Reason reason, String measure) {}

  private final Accounts summary;
  private final SmallCells cells;
  private final Map<Row, Long> rows = new TreeMap<>(
      java.util.Comparator.comparing(String::valueOf));
  private final Map<Quarantined, Long> quarantined = new TreeMap<>(
      java.util.Comparator.comparing(String::valueOf));
  private final Set<Object> withheld;

  public SummaryTables(Accounts summary, SmallCells cells) {
    this.summary = summary;
    this.cells = cells;
    summary.counts().forEach((k, n) -> {
      rows.merge(new Row(k.clinic(), k.resourceType(), k.outcome(), k.reason()), n, Long::sum);
      if (k.outcome() == Outcome.QUARANTINED) {
        quarantined.merge(new Quarantined(k.clinic(), k.resourceType(), k.reason(),
            k.measure()), n, Long::sum);
      }
    });
    LinkedCells<Object> linked = new LinkedCells<>(cells);
    rows.forEach(linked::cell);
    quarantined.forEach(linked::cell);
    rows.keySet().forEach(r -> {
      if (r.outcome() == Outcome.READ) {
        linked.sum(r, keys(rows, o -> o.clinic().equals(r.clinic())
            && o.resourceType().equals(r.resourceType()) && o.outcome() != Outcome.READ));
      } else if (r.outcome() == Outcome.QUARANTINED) {
        linked.sum(r, keys(quarantined, q -> q.clinic().equals(r.clinic())
            && q.resourceType().equals(r.resourceType()) && q.reason() == r.reason()));
      }
    });
    this.withheld = linked.withheld();
  }

  private static <K> List<Object> keys(Map<K, Long> cells, Predicate<K> which) {
    return cells.keySet().stream().filter(which).map(k -> (Object) k).toList();
  }

  private Long shown(Object key, Map<?, Long> from) {
    return withheld.contains(key) ? null : from.get(key);
  }

  /**
   * Total of an outcome for one clinic (and resource type, or null for all): null when any
   * of its parts is withheld, since it would give that part back.
   */
  public Long total(String clinic, String resourceType, Outcome outcome) {
    return LinkedCells.sum(rows.keySet().stream()
        .filter(r -> r.outcome() == outcome && r.clinic().equals(clinic)
            && (resourceType == null || r.resourceType().equals(resourceType)))
        .map(r -> shown(r, rows)).toList());
  }

  /** Rows of the {@code run_summary} table. */
  public List<GenericRecord> runSummaryRows() {
    Schema schema = Schemas.load(Schemas.RUN_SUMMARY);
    List<GenericRecord> out = new ArrayList<>();
    rows.forEach((r, n) -> out.add(Rows.of(schema).set("run_id", summary.runId())
        .set("clinic", r.clinic()).set("resource_type", r.resourceType())
        .set("outcome", r.outcome().label())
        .set("reason", r.reason() == null ? null : r.reason().name())
        .set("records", shown(r, rows)).set("suppressed", withheld.contains(r))
        .set("clinic_status", summary.failedClinics().contains(r.clinic()) ? "failed" : "ok")
        .build()));
    return out;
  }

  /** Rows of the {@code quarantine} table: counts by clinic, type, reason and measure. */
  public List<GenericRecord> quarantineRows() {
    Schema schema = Schemas.load(Schemas.QUARANTINE);
    List<GenericRecord> out = new ArrayList<>();
    quarantined.forEach((q, n) -> out.add(Rows.of(schema).set("clinic", q.clinic())
        .set("resource_type", q.resourceType()).set("reason", q.reason().name())
        .set("measure", q.measure()).set("stage", stageOf(q.reason()))
        .set("records", shown(q, quarantined)).set("suppressed", withheld.contains(q))
        .set("run_id", summary.runId()).build()));
    return out;
  }

  private static String stageOf(Reason reason) {
    return switch (reason) {
      case SUBJECT_NOT_FOUND, DATE_BEFORE_BIRTH, INCOMPLETE_ITEMS -> "normalize/timeline";
      default -> "normalize";
    };
  }

  /** The text summary; the identity check uses the exact counts whatever is shown. */
  public String render() {
    StringBuilder s = new StringBuilder();
    List<Long> printed = new ArrayList<>();
    s.append(String.format("%-10s %-26s %11s %11s %11s %11s  %s%n", "clinic", "resource", "read",
        "written", "filtered", "quarantined", "check"));
    rows.keySet().stream().filter(r -> r.outcome() == Outcome.READ).forEach(r -> {
      List<Long> n = Stream.of(Outcome.READ, Outcome.WRITTEN, Outcome.FILTERED,
          Outcome.QUARANTINED).map(o -> total(r.clinic(), r.resourceType(), o)).toList();
      printed.addAll(n);
      s.append(String.format("%-10s %-26s %11s %11s %11s %11s  %s%n", r.clinic(),
          r.resourceType(), text(n.get(0)), text(n.get(1)), text(n.get(2)), text(n.get(3)),
          summary.balanced(r.clinic(), r.resourceType()) ? "ok" : "MISMATCH"));
    });
    Map<String, List<Long>> reasons = new TreeMap<>();
    rows.forEach((r, n) -> {
      if (r.reason() != null) {
        reasons.computeIfAbsent(r.outcome().label() + " " + r.reason().name(),
            k -> new ArrayList<>()).add(shown(r, rows));
      }
    });
    if (!reasons.isEmpty()) {
      s.append("by reason (all clinics):\n");
      reasons.forEach((r, n) -> {
        Long total = LinkedCells.sum(n);
        printed.add(total);
        s.append(String.format("  %-40s %11s%n", r, text(total)));
      });
    }
    for (String clinic : summary.clinics()) {
      s.append("clinic ").append(clinic).append(": ")
          .append(summary.failedClinics().contains(clinic) ? "FAILED (pull incomplete)" : "ok");
      Long reread = summary.reread().get(clinic);
      if (reread != null) {
        // Records, not people: merged landings of all resource types together.
        s.append("; incremental: ").append(text(cells.show(reread)))
            .append(" of the records read were re-read from earlier landings");
      }
      s.append('\n');
    }
    if (printed.contains(null)) {
      s.append(SUPPRESSED).append(": a count from 1 to ").append(cells.max())
          .append(", or one that would give such a count back (small-cell rule)\n");
    }
    return s.toString();
  }

  /** A count as text: the number, or {@link #SUPPRESSED}; never 0 for a withheld count. */
  public static String text(Long count) {
    return count == null ? SUPPRESSED : String.valueOf(count);
  }
}
