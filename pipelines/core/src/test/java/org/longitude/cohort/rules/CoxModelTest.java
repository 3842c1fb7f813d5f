package org.longitude.cohort.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.longitude.cohort.rules.Reference.assertClose;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Cox models and their proportional-hazards checks against R {@code survival} ({@code coxph}
 * with Efron ties, {@code cox.zph}) on published data sets, and a case worked by hand.
 */
class CoxModelTest {

  @Test
  void stanfordHeartTransplantTimeVarying() {
    Map<String, double[]> heart = Reference.data("heart.csv");
    check("heart_unadjusted", counting(heart, List.of("transplant"), null));
    check("heart_adjusted", counting(heart, List.of("transplant", "age", "surgery", "year"),
        null));
    check("heart_strata", counting(heart, List.of("transplant", "age"), "surgery"));
  }

  @Test
  void veteranStratifiedByCellTypeWithManyTies() {
    Map<String, double[]> vet = Reference.data("veteran.csv");
    List<String> terms = List.of("trt", "karno", "age");
    check("veteran_strata", CoxData.rightCensored(terms, vet.get("time"),
        Reference.flags(vet.get("status")), Reference.ints(vet.get("celltype")),
        Reference.matrix(vet, terms)));
  }

  @Test
  void lungCompleteCases() {
    Map<String, double[]> lung = Reference.data("lung.csv");
    List<String> terms = List.of("female", "age", "ecog", "wtloss");
    check("lung_adjusted", CoxData.rightCensored(terms, lung.get("time"),
        Reference.flags(lung.get("status")), new int[lung.get("time").length],
        Reference.matrix(lung, terms)));
  }

  /**
   * Four subjects, one binary covariate x = (1, 0, 1, 0), events at t = 1, 2, 2 (a tie of
   * x = 0 and x = 1) and a censoring at 3. At b = 0, time 1 has 4 at risk; the tie at time 2
   * has 3 at risk, and Efron's second step takes half of the two dying out: 3 - 1 = 2. So the
   * log likelihood is -log 4 - log 3 - log 2 = -log 24, and the score is (1 - 2/4) for time 1
   * plus (1 - 1/3 - (1 - 1/2) / 2) for time 2: 1/2 + 5/12 = 11/12.
   */
  @Test
  void handWorkedEfronTie() {
    CoxData data = CoxData.rightCensored(List.of("x"), new double[] {1, 2, 2, 3},
        new boolean[] {true, true, true, false}, new int[4],
        new double[][] {{1}, {0}, {1}, {0}});
    RiskSets.Evaluation at0 = new RiskSets(data).at(new double[] {0});
    assertEquals(-Math.log(24), at0.logLik(), 1e-12);
    assertEquals(11.0 / 12, at0.score()[0], 1e-12);
    // Information at 0: 1/4 (4 at risk, 2 with x = 1) + the tied pair's two Efron steps:
    // risk set {2,3,4} with mean 1/3 -> 1/3 - 1/9 = 2/9; then the dying at half weight,
    // total weight 2 and mean (1 - 1/2) / 2 = 1/4 -> 1/4 - 1/16 = 3/16.
    assertEquals(0.25 + 2.0 / 9 + 3.0 / 16, at0.information()[0][0], 1e-12);
  }

  @Test
  void refusesTooFewEventsAndConstantTerms() {
    Map<String, double[]> vet = Reference.data("veteran.csv");
    List<String> terms = List.of("trt", "karno", "age");
    CoxData data = CoxData.rightCensored(terms, vet.get("time"),
        Reference.flags(vet.get("status")), new int[vet.get("time").length],
        Reference.matrix(vet, terms));
    CoxFit tooFew = CoxModel.fit(data, new CoxSettings(20, 1e-9, 50)); // 128 events < 150
    assertEquals(CoxFit.Problem.TOO_FEW_EVENTS, tooFew.problem());
    double[][] constant = new double[data.rows()][1];
    CoxFit singular = CoxModel.fit(CoxData.rightCensored(List.of("one"), vet.get("time"),
        data.event(), data.strata(), constant), CoxSettings.defaults());
    assertEquals(CoxFit.Problem.SINGULAR, singular.problem());
  }

  /** Complete separation: every event has x = 1, so the coefficient runs off to infinity. */
  @Test
  void refusesAnInfiniteCoefficient() {
    int n = 40;
    double[] time = new double[n];
    boolean[] event = new boolean[n];
    double[][] x = new double[n][1];
    for (int i = 0; i < n; i++) {
      x[i][0] = i % 2;
      event[i] = x[i][0] == 1;
      time[i] = event[i] ? 1 + i : 100 + i;
    }
    CoxFit fit = CoxModel.fit(CoxData.rightCensored(List.of("x"), time, event, new int[n], x),
        new CoxSettings(30, 1e-9, 10));
    assertFalse(fit.estimable());
  }

  private static CoxData counting(Map<String, double[]> d, List<String> terms, String strata) {
    return new CoxData(terms, d.get("start"), d.get("stop"), Reference.flags(d.get("event")),
        strata == null ? new int[d.get("stop").length] : Reference.ints(d.get(strata)),
        Reference.matrix(d, terms));
  }

  private static void check(String caseName, CoxData data) {
    Map<String, Double> r = Reference.expected(caseName);
    CoxFit fit = CoxModel.fit(data, CoxSettings.defaults());
    assertNull(fit.problem(), caseName);
    for (int j = 0; j < data.terms().size(); j++) {
      String term = data.terms().get(j);
      assertClose(r.get("coef." + term), fit.coefficients()[j], caseName + " coef " + term);
      assertClose(r.get("se." + term), fit.stdErr(j), caseName + " se " + term);
      assertClose(r.get("p." + term), fit.pValue(j), caseName + " p " + term);
    }
    assertClose(r.get("loglik.null"), fit.logLikNull(), caseName + " null loglik");
    assertClose(r.get("loglik"), fit.logLik(), caseName + " loglik");
    assertClose(r.get("lr.test"), fit.likelihoodRatioTest(), caseName + " LR");
    assertClose(r.get("lr.p"), fit.likelihoodRatioP(), caseName + " LR p");
    assertClose(r.get("wald.test"), fit.waldTest(), caseName + " Wald");
    assertClose(r.get("wald.p"), fit.waldP(), caseName + " Wald p");
    assertClose(r.get("score.test"), fit.scoreTest(), caseName + " score");
    assertEquals(r.get("events").intValue(), fit.events(), caseName + " events");
    for (ProportionalHazardsCheck.Test t : ProportionalHazardsCheck.of(data, fit)) {
      assertClose(r.get("zph.chisq." + t.term()), t.chiSquare(), caseName + " zph " + t.term());
      assertClose(r.get("zph.p." + t.term()), t.p(), caseName + " zph p " + t.term());
    }
  }
}
