package org.longitude.extract;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Live pull counts per clinic of the pulls running in this JVM, for the progress display
 * only. Beam's metrics remain the record of what was pulled, but a runner publishes them when
 * a bundle ends, and a Flink batch bundle is a whole task: they would only move at the end.
 * Workers of a cluster count on boards in their own JVMs, which the launcher cannot see; their
 * log lines report progress there ({@link AccountedSink}).
 */
public final class PullProgress {
  /** Per run key, per clinic: resources, pages. */
  private static final ConcurrentMap<String, ConcurrentMap<String, LongAdder[]>> BOARDS =
      new ConcurrentHashMap<>();

  private PullProgress() {}

  static void resource(String run, String clinic) {
    counts(run, clinic)[0].increment();
  }

  static void page(String run, String clinic) {
    counts(run, clinic)[1].increment();
  }

  /** Per clinic {resources, pages} pulled so far in this JVM; empty if none (yet, or here). */
  public static Map<String, long[]> snapshot(String run) {
    Map<String, long[]> snapshot = new LinkedHashMap<>();
    BOARDS.getOrDefault(run, new ConcurrentHashMap<>()).forEach((clinic, n) ->
        snapshot.put(clinic, new long[] {n[0].sum(), n[1].sum()}));
    return snapshot;
  }

  /** Drops a finished run's board. */
  public static void forget(String run) {
    BOARDS.remove(run);
  }

  private static LongAdder[] counts(String run, String clinic) {
    return BOARDS.computeIfAbsent(run, r -> new ConcurrentHashMap<>())
        .computeIfAbsent(clinic, c -> new LongAdder[] {new LongAdder(), new LongAdder()});
  }
}
