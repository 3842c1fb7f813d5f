package org.longitude.cohort.rules;

import java.io.Serializable;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Per-day event, censoring and entry counts: the sufficient statistics of a Kaplan–Meier curve.
 *
 * <p>This is a <em>mutable</em> accumulator, meant for a Beam {@code CombineFn} ({@code
 * addInput} → {@link #addSubject}, {@code mergeAccumulators} → {@link #merge}, {@code
 * extractOutput} → {@link #snapshot} or {@link KaplanMeier#fit(DayCounts, double)}). Merging is
 * associative and commutative. It is serializable; it is not thread-safe.
 */
public final class DayCounts implements Serializable {

  private static final long serialVersionUID = 1L;

  private final TreeMap<Integer, Counts> byDay = new TreeMap<>();

  /**
   * Counts for one day.
   *
   * @param events subjects with the event on this day
   * @param censored subjects censored on this day (at risk on this day)
   * @param entries subjects entering the risk set on this day (delayed entry only)
   */
  public record Counts(long events, long censored, long entries) implements Serializable {

    public Counts {
      if (events < 0 || censored < 0 || entries < 0) {
        throw new IllegalArgumentException("counts must be >= 0");
      }
    }

    /** Sum of two day counts. */
    public Counts plus(Counts other) {
      return new Counts(
          Math.addExact(events, other.events),
          Math.addExact(censored, other.censored),
          Math.addExact(entries, other.entries));
    }

    /** Subjects leaving the risk set on this day. */
    public long exits() {
      return events + censored;
    }
  }

  /** Adds counts to {@code day}; returns this. */
  public DayCounts add(int day, long events, long censored, long entries) {
    Counts c = new Counts(events, censored, entries);
    if (events != 0 || censored != 0 || entries != 0) {
      byDay.merge(day, c, Counts::plus);
    }
    return this;
  }

  /** Adds a subject followed from time 0 who exits on {@code exitDay}; returns this. */
  public DayCounts addSubject(int exitDay, boolean event) {
    return add(exitDay, event ? 1 : 0, event ? 0 : 1, 0);
  }

  /**
   * Adds a subject entering the risk set on {@code entryDay} (inclusive) and exiting on {@code
   * exitDay} (for delayed-entry fits); returns this.
   */
  public DayCounts addSubject(int entryDay, int exitDay, boolean event) {
    if (exitDay < entryDay) {
      throw new IllegalArgumentException("exit " + exitDay + " before entry " + entryDay);
    }
    add(entryDay, 0, 0, 1);
    return addSubject(exitDay, event);
  }

  /** Adds every count of {@code other} into this; returns this. {@code other} is unchanged. */
  public DayCounts merge(DayCounts other) {
    for (Map.Entry<Integer, Counts> e : other.byDay.entrySet()) {
      byDay.merge(e.getKey(), e.getValue(), Counts::plus);
    }
    return this;
  }

  /** An immutable copy: day to counts, days with all-zero counts omitted. */
  public SortedMap<Integer, Counts> snapshot() {
    return Collections.unmodifiableSortedMap(new TreeMap<>(byDay));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DayCounts other && byDay.equals(other.byDay);
  }

  @Override
  public int hashCode() {
    return byDay.hashCode();
  }

  @Override
  public String toString() {
    return "DayCounts" + byDay;
  }
}
