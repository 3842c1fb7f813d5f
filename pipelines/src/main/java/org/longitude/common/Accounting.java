package org.longitude.common;

import java.io.Serializable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * Record accounting through Beam counters. A counter's name carries clinic, resource type,
 * outcome, reason and measure, so the run summary can be rebuilt from the pipeline's metrics
 * on any runner and checked: read = written + filtered + quarantined.
 */
public final class Accounting implements Serializable {
  public static final String NAMESPACE = "longitude.records";
  private static final String SEP = "|";
  /**
   * Counter handles by name parts, so that counting a record builds no name. A handle holds
   * only its name (it reports to whichever step's container is current), so sharing it across
   * steps and threads is safe; the names are bounded by the study's clinics, types and reasons.
   */
  private static final Map<Key, Counter> COUNTERS = new ConcurrentHashMap<>();

  private Accounting() {}

  public static void count(String clinic, String resourceType, Outcome outcome, Reason reason,
      String measure, long n) {
    counter(clinic, resourceType, outcome, reason, measure).inc(n);
  }

  public static void read(String clinic, String resourceType) {
    count(clinic, resourceType, Outcome.READ, null, null, 1);
  }

  public static void written(String clinic, String resourceType, String measure) {
    count(clinic, resourceType, Outcome.WRITTEN, null, measure, 1);
  }

  public static void dropped(String clinic, String resourceType, Reason reason, String measure) {
    count(clinic, resourceType, reason.outcome(), reason, measure, 1);
  }

  static Counter counter(String clinic, String resourceType, Outcome outcome, Reason reason,
      String measure) {
    return COUNTERS.computeIfAbsent(new Key(clinic, resourceType, outcome, reason, measure),
        Accounting::newCounter);
  }

  private static Counter newCounter(Key k) {
    String name = String.join(SEP, k.clinic(), k.resourceType(), k.outcome().name(),
        k.reason() == null ? "" : k.reason().name(), k.measure() == null ? "" : k.measure());
    return Metrics.counter(NAMESPACE, name);
  }

  /** One parsed counter: the inverse of the name built in {@link #newCounter}. */
  public record Key(String clinic, String resourceType, Outcome outcome, Reason reason,
      String measure) {
    public static Key parse(String counterName) {
      String[] p = counterName.split("\\|", -1);
      return new Key(p[0], p[1], Outcome.valueOf(p[2]),
          p[3].isEmpty() ? null : Reason.valueOf(p[3]), p[4].isEmpty() ? null : p[4]);
    }
  }
}
