package org.longitude.cohort.rules;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Kaplan–Meier with case weights (e.g. inverse-probability-of-treatment weights), with R
 * {@code survival}'s robust variance for non-integer weights: the infinitesimal jackknife, the sum
 * over subjects of their squared weighted influence on S(t). Intervals on the log(-log) scale,
 * as for the unweighted curves ({@link KaplanMeier}); [S, S] where S is 1 or 0.
 */
public final class WeightedKaplanMeier {

  /**
   * The curve at one time with an event or a censoring.
   *
   * @param subjectsAtRisk subjects at risk (unweighted count)
   * @param events subjects with the event at this time (unweighted)
   * @param censored subjects censored at this time (unweighted)
   * @param weightAtRisk the weights at risk
   * @param stdErr robust standard error of S
   */
  public record Row(double time, long subjectsAtRisk, long events, long censored,
      double weightAtRisk, double survival, double stdErr, double ciLower, double ciUpper) {}

  private WeightedKaplanMeier() {}

  /** One row per distinct time, by increasing time. */
  public static List<Row> fit(double[] time, boolean[] event, double[] weight, double z) {
    int n = time.length;
    int[] order = IntStream.range(0, n).boxed()
        .sorted(Comparator.comparingDouble((Integer i) -> time[i]))
        .mapToInt(Integer::intValue).toArray();
    double weightAtRisk = 0;
    for (double w : weight) {
      weightAtRisk += w;
    }
    // influence[k]: subject k's weighted influence on S, updated at each event time.
    double[] influence = new double[n];
    boolean[] atRisk = new boolean[n];
    java.util.Arrays.fill(atRisk, true);
    long subjectsAtRisk = n;
    double survival = 1;
    double variance = 0;
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; ) {
      double t = time[order[i]];
      int j = i;
      double deathWeight = 0;
      long deaths = 0;
      for (; j < n && time[order[j]] == t; j++) {
        if (event[order[j]]) {
          deathWeight += weight[order[j]];
          deaths++;
        }
      }
      if (deaths > 0 && deathWeight > 0) {
        double hazard = deathWeight / weightAtRisk;
        for (int k = 0; k < n; k++) {
          influence[k] *= 1 - hazard;
          if (atRisk[k]) {
            influence[k] += weight[k] * survival * hazard / weightAtRisk;
          }
        }
        for (int m = i; m < j; m++) {
          if (event[order[m]]) {
            influence[order[m]] -= survival * weight[order[m]] / weightAtRisk;
          }
        }
        survival *= 1 - hazard;
        variance = 0;
        for (double inf : influence) {
          variance += inf * inf;
        }
      }
      double stdErr = Math.sqrt(variance);
      rows.add(row(t, subjectsAtRisk, deaths, j - i - deaths, weightAtRisk, survival, stdErr,
          z));
      for (int m = i; m < j; m++) {
        atRisk[order[m]] = false;
        weightAtRisk -= weight[order[m]];
      }
      subjectsAtRisk -= j - i;
      i = j;
    }
    return rows;
  }

  private static Row row(double t, long subjects, long events, long censored, double weight,
      double s, double stdErr, double z) {
    if (s == 1 || s <= 0) {
      return new Row(t, subjects, events, censored, weight, Math.max(s, 0), stdErr, s, s);
    }
    double seLogLog = z * (stdErr / s) / Math.log(s);
    double lower = Math.exp(-Math.exp(Math.log(-Math.log(s)) - seLogLog));
    double upper = Math.exp(-Math.exp(Math.log(-Math.log(s)) + seLogLog));
    return new Row(t, subjects, events, censored, weight, s, stdErr, lower, upper);
  }
}
