package org.longitude.cohort.rules;

/**
 * Cox proportional-hazards regression on counting-process data: Efron's method for tied event
 * times, strata with their own baseline hazards, Newton–Raphson from 0 with step halving. The
 * iteration is R {@code survival}'s ({@code coxph} with {@code ties = "efron"}): a step that
 * lowers the likelihood is halved back towards the last good point; convergence is a relative
 * change of the log likelihood of at most epsilon after a full step.
 */
public final class CoxModel {
  private CoxModel() {}

  /** Fits the model, or says why it is not estimable. */
  public static CoxFit fit(CoxData data, CoxSettings settings) {
    int p = data.terms().size();
    if (p == 0 || data.events() < (long) settings.minEventsPerTerm() * p
        || data.events() == 0) {
      return CoxFit.notEstimable(data, CoxFit.Problem.TOO_FEW_EVENTS);
    }
    RiskSets riskSets = new RiskSets(data);
    double[] beta = new double[p];
    RiskSets.Evaluation at = riskSets.at(beta);
    PositiveDefinite information = PositiveDefinite.of(at.information());
    if (!at.finite() || information == null) {
      return CoxFit.notEstimable(data, CoxFit.Problem.SINGULAR);
    }
    double logLikNull = at.logLik();
    double scoreTest = information.quadraticForm(at.score());
    double best = logLikNull;
    double[] good = beta;
    beta = plus(beta, information.solve(at.score()));
    int halving = 0;
    for (int iteration = 1; ; iteration++) {
      at = riskSets.at(beta);
      information = at.finite() ? PositiveDefinite.of(at.information()) : null;
      boolean failed = information == null;
      if (!failed && halving == 0 && Math.abs(1 - best / at.logLik()) <= settings.epsilon()) {
        return finish(data, settings, beta, at, information, logLikNull, scoreTest, iteration);
      }
      if (iteration == settings.maxIterations()) {
        return CoxFit.notEstimable(data, CoxFit.Problem.NOT_CONVERGED);
      }
      if (failed || at.logLik() < best) {
        halving++;
        double[] next = new double[p];
        for (int a = 0; a < p; a++) {
          next[a] = (good[a] * halving + beta[a]) / (halving + 1.0);
        }
        beta = next;
      } else {
        halving = 0;
        best = at.logLik();
        good = beta;
        beta = plus(beta, information.solve(at.score()));
      }
    }
  }

  private static CoxFit finish(CoxData data, CoxSettings settings, double[] beta,
      RiskSets.Evaluation at, PositiveDefinite information, double logLikNull, double scoreTest,
      int iterations) {
    double[][] variance = information.inverse();
    // R's check for a coefficient still on its way to infinity: the Newton step it would
    // take next is large against the coefficient itself.
    for (int a = 0; a < beta.length; a++) {
      double step = 0;
      for (int b = 0; b < beta.length; b++) {
        step += at.score()[b] * variance[b][a];
      }
      step = Math.abs(step);
      if (step > settings.epsilon() && step > settings.infiniteTolerance() * Math.abs(beta[a])) {
        return CoxFit.notEstimable(data, CoxFit.Problem.INFINITE_COEFFICIENT);
      }
    }
    return new CoxFit(data.terms(), data.rows(), data.events(), null, beta, variance, logLikNull,
        at.logLik(), scoreTest, iterations);
  }

  private static double[] plus(double[] a, double[] b) {
    double[] sum = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      sum[i] = a[i] + b[i];
    }
    return sum;
  }
}
