package org.longitude.cohort.rules;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * The proportional-hazards check of R's {@code cox.zph} (survival 3, {@code transform = "km"}):
 * for each term, a score test that its coefficient does not change with {@code g(t) = 1 - S(t-)}
 * (the pooled Kaplan–Meier's left limit, centred over the events), and a global test for all
 * terms. It is the test of a slope in the term's scaled Schoenfeld residuals against time. A small
 * p-value says the hazard ratio drifts over follow-up.
 */
public final class ProportionalHazardsCheck {

  /** One test: a term's (or {@code GLOBAL}'s) chi-squared statistic. */
  public record Test(String term, double chiSquare, int df, double p) {}

  public static final String GLOBAL = "GLOBAL";

  private ProportionalHazardsCheck() {}

  /** The tests for every term of an estimable {@code fit} to {@code data}, then the global one. */
  public static List<Test> of(CoxData data, CoxFit fit) {
    if (!fit.estimable()) {
      throw new IllegalArgumentException("no check of a model that is not estimable");
    }
    int p = data.terms().size();
    RiskSets.Evaluation extended =
        new RiskSets(data).extendedByTime(fit.coefficients(), timeWeights(data));
    double[] u = new double[2 * p];
    System.arraycopy(extended.score(), p, u, p, p);
    List<Test> tests = new ArrayList<>();
    for (int term = 0; term < p; term++) {
      int[] keep = new int[p + 1];
      Arrays.setAll(keep, i -> i);
      keep[p] = p + term;
      tests.add(test(data.terms().get(term), 1, sub(extended.information(), keep),
          sub(u, keep)));
    }
    tests.add(test(GLOBAL, p, extended.information(), u));
    return tests;
  }

  private static Test test(String term, int df, double[][] information, double[] u) {
    PositiveDefinite m = PositiveDefinite.of(information);
    double chi = m == null ? Double.NaN : m.quadraticForm(u);
    return new Test(term, chi, df, m == null ? Double.NaN : ChiSquare.upperTail(chi, df));
  }

  /** g at each event row's time: 1 - S(t-) of the pooled Kaplan–Meier, centred on the events. */
  static double[] timeWeights(CoxData data) {
    // Pooled product-limit over all rows, ignoring strata: at risk at t = start < t <= stop,
    // i.e. (rows with stop >= t) - (rows with start >= t).
    double[] stops = data.stop().clone();
    double[] starts = data.start().clone();
    Arrays.sort(stops);
    Arrays.sort(starts);
    TreeMap<Double, double[]> atTime = new TreeMap<>();
    for (int i = 0; i < data.rows(); i++) {
      if (data.event()[i]) {
        atTime.computeIfAbsent(data.stop()[i], t -> new double[2])[1]++;
      }
    }
    atTime.forEach((t, c) -> c[0] = firstAtOrAfter(starts, t) - firstAtOrAfter(stops, t));
    TreeMap<Double, Double> survivalBefore = new TreeMap<>();
    double s = 1;
    for (var e : atTime.entrySet()) {
      survivalBefore.put(e.getKey(), s);
      s *= 1 - e.getValue()[1] / e.getValue()[0];
    }
    double[] g = new double[data.rows()];
    double mean = 0;
    int events = 0;
    for (int i = 0; i < data.rows(); i++) {
      if (data.event()[i]) {
        g[i] = 1 - survivalBefore.get(data.stop()[i]);
        mean += g[i];
        events++;
      }
    }
    mean /= events;
    for (int i = 0; i < data.rows(); i++) {
      g[i] = data.event()[i] ? g[i] - mean : 0;
    }
    return g;
  }

  /** Index of the first element {@code >= t} in a sorted array. */
  private static int firstAtOrAfter(double[] sorted, double t) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] < t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private static double[][] sub(double[][] m, int[] keep) {
    double[][] s = new double[keep.length][keep.length];
    for (int i = 0; i < keep.length; i++) {
      for (int j = 0; j < keep.length; j++) {
        s[i][j] = m[keep[i]][keep[j]];
      }
    }
    return s;
  }

  private static double[] sub(double[] v, int[] keep) {
    double[] s = new double[keep.length];
    for (int i = 0; i < keep.length; i++) {
      s[i] = v[keep[i]];
    }
    return s;
  }
}
