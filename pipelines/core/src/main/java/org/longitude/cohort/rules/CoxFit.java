package org.longitude.cohort.rules;

import java.util.List;

/**
 * A fitted Cox proportional-hazards model, or the reason it could not be estimated.
 *
 * @param terms the covariates, in coefficient order
 * @param rows counting-process rows used
 * @param events events in them
 * @param problem why the model is not estimable ({@link Problem}), {@code null} when it is; then
 *     every number below is {@code null}/NaN and must not be published
 * @param coefficients log hazard ratios
 * @param variance inverse of the information at the estimate
 * @param logLikNull log partial likelihood at coefficients 0
 * @param logLik log partial likelihood at the estimate
 * @param scoreTest score (log-rank) test statistic at 0
 * @param iterations Newton–Raphson iterations used
 */
public record CoxFit(List<String> terms, int rows, int events, Problem problem,
    double[] coefficients, double[][] variance, double logLikNull, double logLik,
    double scoreTest, int iterations) {

  /** Why a model is not estimable. */
  public enum Problem {
    /** Fewer events than the setting asks per term. */
    TOO_FEW_EVENTS,
    /** A term without variation in the risk sets, or a combination of other terms. */
    SINGULAR,
    /** Newton–Raphson did not converge in the allowed iterations. */
    NOT_CONVERGED,
    /** The likelihood converged while a coefficient still ran off to infinity (separation). */
    INFINITE_COEFFICIENT
  }

  static CoxFit notEstimable(CoxData data, Problem problem) {
    return new CoxFit(data.terms(), data.rows(), data.events(), problem, null, null, Double.NaN,
        Double.NaN, Double.NaN, 0);
  }

  public boolean estimable() {
    return problem == null;
  }

  public double stdErr(int term) {
    return Math.sqrt(variance[term][term]);
  }

  public double hazardRatio(int term) {
    return Math.exp(coefficients[term]);
  }

  /** Wald z statistic of one term. */
  public double z(int term) {
    return coefficients[term] / stdErr(term);
  }

  /** Two-sided Wald p-value of one term. */
  public double pValue(int term) {
    return ChiSquare.twoSidedNormal(z(term));
  }

  /** Lower Wald confidence bound of the hazard ratio, {@code exp(b - z se)}. */
  public double hazardRatioLower(int term, double z) {
    return Math.exp(coefficients[term] - z * stdErr(term));
  }

  /** Upper Wald confidence bound of the hazard ratio. */
  public double hazardRatioUpper(int term, double z) {
    return Math.exp(coefficients[term] + z * stdErr(term));
  }

  /** Degrees of freedom of the model-wide tests: the number of terms. */
  public int df() {
    return terms.size();
  }

  public double likelihoodRatioTest() {
    return 2 * (logLik - logLikNull);
  }

  public double likelihoodRatioP() {
    return ChiSquare.upperTail(likelihoodRatioTest(), df());
  }

  /** Wald test that every coefficient is 0: {@code b' V^-1 b}. */
  public double waldTest() {
    return PositiveDefinite.of(variance).quadraticForm(coefficients);
  }

  public double waldP() {
    return ChiSquare.upperTail(waldTest(), df());
  }

  public double scoreP() {
    return ChiSquare.upperTail(scoreTest, df());
  }
}
