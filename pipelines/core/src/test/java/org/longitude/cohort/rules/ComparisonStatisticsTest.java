package org.longitude.cohort.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.longitude.cohort.rules.Reference.assertClose;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Log-rank tests, the propensity model, stabilised weights, weighted Kaplan–Meier and balance
 * against R ({@code survdiff}, {@code glm}, {@code quantile}, weighted {@code survfit}), and
 * cases worked by hand.
 */
class ComparisonStatisticsTest {
  private static final double Z = 1.959963984540054;

  @Test
  void logRankPlainAndStratified() {
    Map<String, double[]> vet = Reference.data("veteran.csv");
    double[] time = vet.get("time");
    boolean[] event = Reference.flags(vet.get("status"));
    boolean[] trt = Reference.flags(vet.get("trt"));
    LogRank.Result plain = LogRank.test(time, event, trt, new int[time.length]);
    assertClose(Reference.expected("veteran_logrank").get("logrank.chisq"), plain.chiSquare(),
        "veteran log-rank");
    assertClose(Reference.expected("veteran_logrank").get("logrank.p"), plain.p(), "p");
    LogRank.Result stratified =
        LogRank.test(time, event, trt, Reference.ints(vet.get("celltype")));
    assertClose(Reference.expected("veteran_logrank_strata").get("logrank.chisq"),
        stratified.chiSquare(), "veteran stratified log-rank");

    Map<String, double[]> lung = Reference.data("lung.csv");
    LogRank.Result sex = LogRank.test(lung.get("time"), Reference.flags(lung.get("status")),
        Reference.flags(lung.get("female")), new int[lung.get("time").length]);
    assertClose(Reference.expected("lung_logrank").get("logrank.chisq"), sex.chiSquare(),
        "lung log-rank");
  }

  /**
   * Two groups of two: A dies at 1 and 3, B at 2 and is censored at 4. Time 1: 4 at risk, 2 of
   * A: E = 1/2, V = 1/4. Time 2: 3 at risk (1 of A), E = 1/3, V = 2/9. Time 3: 2 at risk (1 of
   * A), E = 1/2, V = 1/4. O = 2, E = 4/3, V = 13/18: chi-squared = (2/3)^2 / (13/18) = 8/13.
   */
  @Test
  void logRankByHand() {
    LogRank.Result r = LogRank.test(new double[] {1, 3, 2, 4},
        new boolean[] {true, true, true, false}, new boolean[] {true, true, false, false},
        new int[4]);
    assertEquals(2, r.observed(), 1e-12);
    assertEquals(4.0 / 3, r.expected(), 1e-12);
    assertEquals(13.0 / 18, r.variance(), 1e-12);
    assertEquals(8.0 / 13, r.chiSquare(), 1e-12);
  }

  @Test
  void propensityWeightsWeightedCurvesAndBalanceAsR() {
    Map<String, double[]> lung = Reference.data("lung.csv");
    List<String> covariates = List.of("age", "ecog", "wtloss");
    boolean[] female = Reference.flags(lung.get("female"));
    LogisticRegression ps = LogisticRegression.fit(covariates, female,
        Reference.matrix(lung, covariates));
    Map<String, Double> r = Reference.expected("lung_weights");
    for (int j = 0; j < ps.terms().size(); j++) {
      String term = ps.terms().get(j);
      assertClose(r.get("coef." + term), ps.coefficients()[j], "coef " + term);
      assertClose(r.get("se." + term), ps.stdErr(j), "se " + term);
    }
    double[] w = TreatmentWeights.stabilised(female, ps.fitted(), 1, 99);
    for (int i = 0; i < w.length; i++) {
      assertClose(r.get("weight." + (i + 1)), w[i], "weight " + (i + 1));
    }

    Map<String, Double> km = Reference.expected("lung_weighted_km");
    int rows = 0;
    for (boolean group : new boolean[] {false, true}) {
      double[] time = select(lung.get("time"), female, group);
      for (WeightedKaplanMeier.Row row : WeightedKaplanMeier.fit(time,
          Reference.flags(select(lung.get("status"), female, group)), select(w, female, group),
          Z)) {
        String key = (group ? "1" : "0") + "@" + (long) row.time();
        assertClose(km.get("surv." + key), row.survival(), "S " + key);
        assertClose(km.get("std.err." + key), row.stdErr(), "SE " + key);
        assertClose(km.get("n.risk." + key), row.weightAtRisk(), "n.risk " + key);
        if (row.survival() > 0 && row.survival() < 1) {
          assertClose(km.get("lower." + key), row.ciLower(), "lower " + key);
          assertClose(km.get("upper." + key), row.ciUpper(), "upper " + key);
        }
        rows++;
      }
    }
    assertEquals(km.keySet().stream().filter(k -> k.startsWith("surv.")).count(), rows);

    Map<String, Double> balance = Reference.expected("lung_balance");
    double[] ones = new double[w.length];
    java.util.Arrays.fill(ones, 1);
    for (String v : covariates) {
      assertClose(balance.get("smd.before." + v),
          Balance.standardisedDifference(lung.get(v), female, ones), "SMD before " + v);
      assertClose(balance.get("smd.after." + v),
          Balance.standardisedDifference(lung.get(v), female, w), "SMD after " + v);
    }
  }

  /**
   * Weights 2, 1, 1 at times 1 (event), 2 (event), 3 (censored): S(1) = 1 - 2/4 = 1/2,
   * S(2) = 1/2 * (1 - 1/2) = 1/4; the weights at risk 4, 2, 1.
   */
  @Test
  void weightedKaplanMeierByHand() {
    List<WeightedKaplanMeier.Row> rows = WeightedKaplanMeier.fit(new double[] {1, 2, 3},
        new boolean[] {true, true, false}, new double[] {2, 1, 1}, Z);
    assertEquals(0.5, rows.get(0).survival(), 1e-12);
    assertEquals(0.25, rows.get(1).survival(), 1e-12);
    assertEquals(0.25, rows.get(2).survival(), 1e-12);
    assertEquals(4, rows.get(0).weightAtRisk(), 1e-12);
    assertEquals(2, rows.get(1).weightAtRisk(), 1e-12);
    assertEquals(1, rows.get(2).subjectsAtRisk());
  }

  /**
   * Stabilised weights by hand: 1 of 4 treated (share 1/4); propensities 0.5 (treated) and
   * 0.25, 0.5, 0.75 (untreated) give 0.25/0.5 = 0.5, 0.75/0.75 = 1, 0.75/0.5 = 1.5,
   * 0.75/0.25 = 3.
   */
  @Test
  void stabilisedWeightsByHand() {
    double[] w = TreatmentWeights.stabilised(new boolean[] {true, false, false, false},
        new double[] {0.5, 0.25, 0.5, 0.75}, 0, 100);
    assertEquals(0.5, w[0], 1e-12);
    assertEquals(1, w[1], 1e-12);
    assertEquals(1.5, w[2], 1e-12);
    assertEquals(3, w[3], 1e-12);
  }

  private static double[] select(double[] column, boolean[] group, boolean value) {
    return java.util.stream.IntStream.range(0, column.length).filter(i -> group[i] == value)
        .mapToDouble(i -> column[i]).toArray();
  }
}
