package org.longitude.cohort.rules;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;

/**
 * Kaplan–Meier (product-limit) survival curve built from per-day counts, with Greenwood variance
 * and pointwise confidence intervals on the log(-log) scale.
 *
 * <p>Conventions:
 *
 * <ul>
 *   <li>Ties: on a given day events happen before censorings, so a subject censored on day t is at
 *       risk on day t.
 *   <li>{@link #fit} assumes everyone is at risk from time 0 (entries must be zero). {@link
 *       #fitDelayedEntry} handles left truncation: at risk on day t = entered on or before t and
 *       not exited before t (entry is inclusive, so a subject may exit on its entry day).
 *   <li>Greenwood: {@code Var S(t) = S(t)^2 * sum d/(n(n-d))} over event days up to t.
 *   <li>Interval: {@code S^exp(±z * se)} with {@code se = sqrt(sum d/(n(n-d))) / |log S|}, which
 *       stays inside [0, 1]. Where S = 1 (no event yet) the interval is [1, 1] and the standard
 *       error 0. Where S = 0 (every subject at risk had the event) Greenwood is undefined; the
 *       interval is reported as [0, 0] and the standard error as 0. The same holds for all later
 *       days: with delayed entry a curve that reached 0 stays at 0 even if subjects enter later.
 * </ul>
 *
 * <p>Rows are produced only for days with an event or a censoring. Instances are immutable and
 * serializable.
 */
public final class KaplanMeier implements Serializable {

  private static final long serialVersionUID = 1L;

  /**
   * The curve on one day with an event or a censoring.
   *
   * @param day the day
   * @param atRisk subjects at risk on the day
   * @param events events on the day
   * @param censored censorings on the day
   * @param survival S(day), including this day's events
   * @param stdErr Greenwood standard error of S(day)
   * @param ciLower lower confidence bound
   * @param ciUpper upper confidence bound
   */
  public record Row(
      int day,
      long atRisk,
      long events,
      long censored,
      double survival,
      double stdErr,
      double ciLower,
      double ciUpper)
      implements Serializable {}

  /**
   * S(t) at an arbitrary time, read off the step function.
   *
   * @param time the time asked for
   * @param survival S(time)
   * @param stdErr Greenwood standard error
   * @param ciLower lower confidence bound
   * @param ciUpper upper confidence bound
   */
  public record Estimate(double time, double survival, double stdErr, double ciLower, double ciUpper)
      implements Serializable {}

  private final List<Row> rows;

  private KaplanMeier(List<Row> rows) {
    this.rows = List.copyOf(rows);
  }

  /** Curve for subjects all at risk from time 0; {@code z} is the interval's normal quantile. */
  public static KaplanMeier fit(SortedMap<Integer, DayCounts.Counts> counts, double z) {
    return build(counts, z, false);
  }

  /** As {@link #fit(SortedMap, double)} from an accumulator. */
  public static KaplanMeier fit(DayCounts counts, double z) {
    return build(counts.snapshot(), z, false);
  }

  /** Curve with delayed entry (left truncation), using the entry counts. */
  public static KaplanMeier fitDelayedEntry(SortedMap<Integer, DayCounts.Counts> counts, double z) {
    return build(counts, z, true);
  }

  /** As {@link #fitDelayedEntry(SortedMap, double)} from an accumulator. */
  public static KaplanMeier fitDelayedEntry(DayCounts counts, double z) {
    return build(counts.snapshot(), z, true);
  }

  /** One row per day with an event or a censoring, by increasing day. */
  public List<Row> rows() {
    return rows;
  }

  /**
   * S(t) as a right-continuous step function: the last row on or before {@code t}; S = 1 with
   * interval [1, 1] before the first row. After the last row the last value is returned; it is
   * only meaningful up to the last follow-up day ({@link #lastDay()}).
   */
  public Estimate at(double t) {
    int lo = 0;
    int hi = rows.size() - 1;
    int found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (rows.get(mid).day() <= t) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (found < 0) {
      return new Estimate(t, 1, 0, 1, 1);
    }
    Row r = rows.get(found);
    return new Estimate(t, r.survival(), r.stdErr(), r.ciLower(), r.ciUpper());
  }

  /** Last day with an event or a censoring; {@code null} for an empty curve. */
  public Integer lastDay() {
    return rows.isEmpty() ? null : rows.get(rows.size() - 1).day();
  }

  private static KaplanMeier build(
      SortedMap<Integer, DayCounts.Counts> counts, double z, boolean delayedEntry) {
    Objects.requireNonNull(counts, "counts");
    if (!(z > 0) || Double.isInfinite(z)) {
      throw new IllegalArgumentException("z must be positive and finite: " + z);
    }
    long totalEntries = 0;
    long totalExits = 0;
    for (DayCounts.Counts c : counts.values()) {
      totalEntries = Math.addExact(totalEntries, c.entries());
      totalExits = Math.addExact(totalExits, c.exits());
    }
    if (!delayedEntry && totalEntries != 0) {
      throw new IllegalArgumentException("entry counts present: use fitDelayedEntry");
    }
    if (delayedEntry && totalEntries != totalExits) {
      throw new IllegalArgumentException(
          "entries (" + totalEntries + ") and exits (" + totalExits + ") differ");
    }

    List<Row> rows = new ArrayList<>();
    // Standard fit: everyone is at risk at the start; delayed: nobody until they enter.
    long atRiskBefore = delayedEntry ? 0 : totalExits;
    double survival = 1;
    double greenwoodSum = 0;
    for (Map.Entry<Integer, DayCounts.Counts> e : counts.entrySet()) {
      DayCounts.Counts c = e.getValue();
      long atRisk = atRiskBefore + c.entries();
      long d = c.events();
      if (atRisk < c.exits()) {
        throw new IllegalArgumentException(
            "more exits than subjects at risk on day " + e.getKey());
      }
      atRiskBefore = atRisk - c.exits();
      if (c.exits() == 0) {
        continue;
      }
      if (d > 0 && survival > 0) {
        if (d == atRisk) {
          survival = 0;
        } else {
          survival *= 1 - (double) d / atRisk;
          greenwoodSum += (double) d / ((double) atRisk * (atRisk - d));
        }
      }
      rows.add(row(e.getKey(), atRisk, d, c.censored(), survival, greenwoodSum, z));
    }
    return new KaplanMeier(rows);
  }

  private static Row row(
      int day, long atRisk, long events, long censored, double s, double sum, double z) {
    if (s == 1 || s == 0) {
      return new Row(day, atRisk, events, censored, s, 0, s, s);
    }
    double stdErr = s * Math.sqrt(sum);
    double seLogLog = Math.sqrt(sum) / Math.abs(Math.log(s));
    double lower = Math.pow(s, Math.exp(z * seLogLog));
    double upper = Math.pow(s, Math.exp(-z * seLogLog));
    return new Row(day, atRisk, events, censored, s, stdErr, lower, upper);
  }
}
