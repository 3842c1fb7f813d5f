package org.longitude.cohort.rules;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.function.IntToDoubleFunction;

/**
 * The risk sets of {@link CoxData}, walked once per evaluation: at each event time the rows with
 * {@code start < t <= stop} of the event's stratum, tied events split with Efron's approximation.
 * An evaluation at coefficients {@code beta} gives the log partial likelihood, its score and its
 * information — the same sums as R {@code survival}'s {@code agfit4.c} — and, for the
 * proportional-hazards check, the same for the model extended by {@code x * g(t)} at {@code g}'s
 * coefficients 0 ({@code zph2.c}).
 *
 * <p>Covariates are centred on their means first: the likelihood does not change, and the
 * exponentials stay in range. Risk scores are taken relative to the largest linear predictor, so
 * they never overflow.
 */
final class RiskSets {

  /** Log partial likelihood, score vector and information matrix at one point. */
  record Evaluation(double logLik, double[] score, double[][] information) {
    boolean finite() {
      if (!Double.isFinite(logLik)) {
        return false;
      }
      for (double[] row : information) {
        for (double v : row) {
          if (!Double.isFinite(v)) {
            return false;
          }
        }
      }
      return true;
    }
  }

  private final CoxData data;
  private final double[][] x;
  private final List<int[]> byStop = new ArrayList<>();
  private final List<int[]> byStart = new ArrayList<>();

  RiskSets(CoxData data) {
    this.data = data;
    this.x = centred(data.x(), data.terms().size());
    TreeMap<Integer, List<Integer>> strata = new TreeMap<>();
    for (int i = 0; i < data.rows(); i++) {
      strata.computeIfAbsent(data.strata()[i], k -> new ArrayList<>()).add(i);
    }
    for (List<Integer> rows : strata.values()) {
      byStop.add(sortedDescending(rows, i -> data.stop()[i]));
      byStart.add(sortedDescending(rows, i -> data.start()[i]));
    }
  }

  /** Log partial likelihood, score and information at {@code beta}. */
  Evaluation at(double[] beta) {
    return sweep(beta, null);
  }

  /**
   * The same for covariates {@code (x, x * g(t))} at coefficients {@code (beta, 0)}: score and
   * information of size 2p, with {@code g[i]} the time weight of event row i's time.
   */
  Evaluation extendedByTime(double[] beta, double[] g) {
    return sweep(beta, g);
  }

  private Evaluation sweep(double[] beta, double[] g) {
    int p = beta.length;
    int q = g == null ? p : 2 * p;
    double[] eta = linearPredictor(beta);
    double top = 0;
    for (double e : eta) {
      top = Math.max(top, e);
    }
    double[] score = new double[q];
    double[][] info = new double[q][q];
    double logLik = 0;
    Sums atRisk = new Sums(p);
    Sums dying = new Sums(p);
    double[] mean = new double[p];
    for (int s = 0; s < byStop.size(); s++) {
      int[] stops = byStop.get(s);
      int[] starts = byStart.get(s);
      atRisk.clear();
      int removed = 0;
      for (int i = 0; i < stops.length; ) {
        double t = data.stop()[stops[i]];
        dying.clear();
        double timeWeight = 0;
        for (; i < stops.length && data.stop()[stops[i]] == t; i++) {
          int row = stops[i];
          double risk = Math.exp(eta[row] - top);
          atRisk.add(x[row], risk);
          if (data.event()[row]) {
            dying.add(x[row], risk);
            logLik += eta[row] - top;
            timeWeight = g == null ? 0 : g[row];
            for (int a = 0; a < p; a++) {
              score[a] += x[row][a];
              if (g != null) {
                score[p + a] += x[row][a] * timeWeight;
              }
            }
          }
        }
        // Rows whose stretch starts at or after t are not at risk at t (nor any time before).
        for (; removed < starts.length && data.start()[starts[removed]] >= t; removed++) {
          int row = starts[removed];
          atRisk.remove(x[row], Math.exp(eta[row] - top));
        }
        int d = dying.count;
        for (int k = 0; k < d; k++) {
          double f = (double) k / d;
          double denominator = atRisk.s0 - f * dying.s0;
          logLik -= Math.log(denominator);
          for (int a = 0; a < p; a++) {
            mean[a] = (atRisk.s1[a] - f * dying.s1[a]) / denominator;
            score[a] -= mean[a];
            if (g != null) {
              score[p + a] -= mean[a] * timeWeight;
            }
          }
          for (int a = 0; a < p; a++) {
            for (int b = 0; b <= a; b++) {
              double v = (atRisk.s2[a][b] - f * dying.s2[a][b]) / denominator - mean[a] * mean[b];
              info[a][b] += v;
              if (g != null) {
                // Lower triangle only (mirrored below); the cross block is whole in it.
                info[p + a][b] += v * timeWeight;
                if (b != a) {
                  info[p + b][a] += v * timeWeight;
                }
                info[p + a][p + b] += v * timeWeight * timeWeight;
              }
            }
          }
        }
      }
    }
    for (int a = 0; a < q; a++) {
      for (int b = a + 1; b < q; b++) {
        info[a][b] = info[b][a];
      }
    }
    return new Evaluation(logLik, score, info);
  }

  private double[] linearPredictor(double[] beta) {
    double[] eta = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      double sum = 0;
      for (int a = 0; a < beta.length; a++) {
        sum += beta[a] * x[i][a];
      }
      eta[i] = sum;
    }
    return eta;
  }

  private static double[][] centred(double[][] x, int p) {
    double[] mean = new double[p];
    for (double[] row : x) {
      for (int a = 0; a < p; a++) {
        mean[a] += row[a] / x.length;
      }
    }
    double[][] c = new double[x.length][p];
    for (int i = 0; i < x.length; i++) {
      for (int a = 0; a < p; a++) {
        c[i][a] = x[i][a] - mean[a];
      }
    }
    return c;
  }

  private static int[] sortedDescending(List<Integer> rows,
      IntToDoubleFunction key) {
    return rows.stream()
        .sorted(Comparator.comparingDouble((Integer i) -> key.applyAsDouble(i)).reversed())
        .mapToInt(Integer::intValue).toArray();
  }

  /** Weighted sums of risk scores, covariates and their products (lower triangle). */
  private static final class Sums {
    double s0;
    final double[] s1;
    final double[][] s2;
    int count;

    Sums(int p) {
      s1 = new double[p];
      s2 = new double[p][p];
    }

    void clear() {
      s0 = 0;
      count = 0;
      Arrays.fill(s1, 0);
      for (double[] row : s2) {
        Arrays.fill(row, 0);
      }
    }

    void add(double[] x, double risk) {
      update(x, risk);
      count++;
    }

    /** Takes a row out again; the last one out leaves exact zeros, not rounding residue. */
    void remove(double[] x, double risk) {
      if (--count == 0) {
        clear();
      } else {
        update(x, -risk);
      }
    }

    private void update(double[] x, double risk) {
      s0 += risk;
      for (int a = 0; a < s1.length; a++) {
        s1[a] += risk * x[a];
        for (int b = 0; b <= a; b++) {
          s2[a][b] += risk * x[a] * x[b];
        }
      }
    }
  }
}
