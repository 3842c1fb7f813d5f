package org.longitude.cohort.rules;

import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * The log-rank test of two groups' survival (R's {@code survdiff}, {@code rho = 0}), plain or
 * stratified: observed minus expected events of the first group and the hypergeometric variance,
 * summed over each stratum's event times and then over strata.
 */
public final class LogRank {

  /**
   * @param observed events in the first group
   * @param expected events expected there under equal hazards
   * @param chiSquare {@code (observed - expected)^2 / variance}, 1 degree of freedom
   */
  public record Result(double observed, double expected, double variance, double chiSquare,
      double p) {}

  private LogRank() {}

  /**
   * @param time follow-up time of each subject
   * @param event whether follow-up ended in the event
   * @param first whether the subject is in the first group
   * @param strata each subject's stratum (all equal for the plain test)
   */
  public static Result test(double[] time, boolean[] event, boolean[] first, int[] strata) {
    Integer[] order = IntStream.range(0, time.length).boxed()
        .sorted(Comparator.comparingInt((Integer i) -> strata[i])
            .thenComparing(i -> -time[i]))
        .toArray(Integer[]::new);
    double observed = 0;
    double expected = 0;
    double variance = 0;
    int i = 0;
    while (i < order.length) {
      int stratum = strata[order[i]];
      double atRisk = 0;
      double atRiskFirst = 0;
      // Walk one stratum from the latest time back, so each time's risk set is everyone seen.
      while (i < order.length && strata[order[i]] == stratum) {
        double t = time[order[i]];
        double deaths = 0;
        double deathsFirst = 0;
        for (; i < order.length && strata[order[i]] == stratum && time[order[i]] == t; i++) {
          int s = order[i];
          atRisk++;
          atRiskFirst += first[s] ? 1 : 0;
          if (event[s]) {
            deaths++;
            deathsFirst += first[s] ? 1 : 0;
          }
        }
        if (deaths > 0) {
          observed += deathsFirst;
          expected += deaths * atRiskFirst / atRisk;
          if (atRisk > 1) {
            variance += deaths * (atRisk - deaths) * atRiskFirst * (atRisk - atRiskFirst)
                / (atRisk * atRisk * (atRisk - 1));
          }
        }
      }
    }
    double chi = variance > 0 ? Math.pow(observed - expected, 2) / variance : Double.NaN;
    return new Result(observed, expected, variance, chi,
        variance > 0 ? ChiSquare.upperTail(chi, 1) : Double.NaN);
  }
}
