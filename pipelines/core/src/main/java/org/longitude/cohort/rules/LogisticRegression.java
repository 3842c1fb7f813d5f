package org.longitude.cohort.rules;

import java.util.List;

/**
 * Logistic regression by Newton–Raphson (iteratively reweighted least squares), with an
 * intercept: the propensity of treatment given covariates. Iterates from 0 until the deviance
 * changes by less than 1e-12 of itself (R's {@code glm} stops at 1e-8; the estimate is the same
 * to far more digits than are published).
 *
 * @param terms {@code (Intercept)} then the covariates
 * @param problem {@code null}, or why there is no estimate: {@code SEPARATION} (covariates
 *     predict the group perfectly for some subjects: the groups do not overlap there, and no
 *     weight can make them comparable), {@code SINGULAR} (a covariate is a combination of
 *     others) or {@code NOT_CONVERGED}
 */
public record LogisticRegression(List<String> terms, String problem, double[] coefficients,
    double[][] variance, double[] fitted) {

  public static final String INTERCEPT = "(Intercept)";
  private static final int MAX_ITERATIONS = 50;
  private static final double TOLERANCE = 1e-12;

  /** Fits {@code P(y) = 1 / (1 + exp(-(b0 + x b)))}. */
  public static LogisticRegression fit(List<String> covariates, boolean[] y, double[][] x) {
    int n = y.length;
    int p = covariates.size() + 1;
    List<String> terms = new java.util.ArrayList<>(List.of(INTERCEPT));
    terms.addAll(covariates);
    double[] beta = new double[p];
    double deviance = Double.NaN;
    double[] fitted = new double[n];
    for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
      double[] score = new double[p];
      double[][] info = new double[p][p];
      double newDeviance = 0;
      for (int i = 0; i < n; i++) {
        double eta = beta[0];
        for (int a = 1; a < p; a++) {
          eta += beta[a] * x[i][a - 1];
        }
        double mu = 1 / (1 + Math.exp(-eta));
        fitted[i] = mu;
        newDeviance -= 2 * Math.log(y[i] ? mu : 1 - mu);
        double w = mu * (1 - mu);
        for (int a = 0; a < p; a++) {
          double xa = a == 0 ? 1 : x[i][a - 1];
          score[a] += ((y[i] ? 1 : 0) - mu) * xa;
          for (int b = 0; b <= a; b++) {
            info[a][b] += w * xa * (b == 0 ? 1 : x[i][b - 1]);
          }
        }
      }
      for (int a = 0; a < p; a++) {
        for (int b = a + 1; b < p; b++) {
          info[a][b] = info[b][a];
        }
      }
      PositiveDefinite m = PositiveDefinite.of(info);
      if (m == null) {
        return failed(terms, iteration > 0 && separated(fitted) ? "SEPARATION" : "SINGULAR");
      }
      if (Math.abs(newDeviance - deviance) <= TOLERANCE * (Math.abs(newDeviance) + 0.1)) {
        return new LogisticRegression(terms, null, beta, m.inverse(), fitted);
      }
      deviance = newDeviance;
      double[] step = m.solve(score);
      for (int a = 0; a < p; a++) {
        beta[a] += step[a];
      }
    }
    return failed(terms, separated(fitted) ? "SEPARATION" : "NOT_CONVERGED");
  }

  private static LogisticRegression failed(List<String> terms, String problem) {
    return new LogisticRegression(terms, problem, null, null, null);
  }

  /** Whether some fitted probabilities have run off to 0 or 1. */
  private static boolean separated(double[] fitted) {
    for (double mu : fitted) {
      if (mu * (1 - mu) < 1e-8) {
        return true;
      }
    }
    return false;
  }

  public boolean estimable() {
    return problem == null;
  }

  public double stdErr(int term) {
    return Math.sqrt(variance[term][term]);
  }
}
