package org.longitude.common;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * Record accounting's key — clinic, resource type, outcome, reason, measure — and the live
 * progress counters. The run's accounting itself is data ({@link Ledger}): Beam's metrics are
 * attempted counts on some runners (a retried bundle counts twice), so they feed only the
 * progress display, never the run summary.
 */
public final class Accounting {
  public static final String NAMESPACE = "longitude.records";
  private static final String SEP = "|";
  /**
   * Counter handles by key, so that counting builds no name. A handle holds only its name (it
   * reports to whichever step's container is current), so sharing it across steps and threads
   * is safe; the names are bounded by the study's clinics and types.
   */
  private static final Map<Key, Counter> COUNTERS = new ConcurrentHashMap<>();

  private Accounting() {}

  /** {@code n} more records of the clinic and type read, for the live progress display. */
  public static void progress(String clinic, String resourceType, long n) {
    COUNTERS.computeIfAbsent(new Key(clinic, resourceType, Outcome.READ, null, null),
        k -> Metrics.counter(NAMESPACE, k.name())).inc(n);
  }

  /** Whom a count is of; {@link #name} and {@link #parse} turn it into text and back. */
  public record Key(String clinic, String resourceType, Outcome outcome, Reason reason,
      String measure) {
    /** {@code clinic|type|OUTCOME|REASON|measure}, empty where null. */
    public String name() {
      return String.join(SEP, clinic, resourceType, outcome.name(),
          reason == null ? "" : reason.name(), measure == null ? "" : measure);
    }

    public static Key parse(String name) {
      String[] p = name.split("\\|", -1);
      return new Key(p[0], p[1], Outcome.valueOf(p[2]),
          p[3].isEmpty() ? null : Reason.valueOf(p[3]), p[4].isEmpty() ? null : p[4]);
    }
  }
}
