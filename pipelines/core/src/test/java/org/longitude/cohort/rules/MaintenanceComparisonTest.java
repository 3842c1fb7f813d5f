package org.longitude.cohort.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.longitude.cohort.rules.Reference.assertClose;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole maintenance comparison of a demo run's published intervals table against R
 * ({@code reference/comparison-reference.R}: coxph, cox.zph, survdiff, glm, weighted survfit):
 * the Java analysis, fed the same rows, gives R's numbers.
 */
class MaintenanceComparisonTest {
  private static final double Z = 1.959963984540054;

  @ParameterizedTest
  @ValueSource(strings = {"depression", "anxiety", "ptsd"})
  void equalsR(String condition) {
    List<String> covariates = new ArrayList<>(ComparisonRules.defaults().covariates());
    if (!condition.equals("depression")) {
      covariates.remove(ComparisonRules.SI_AT_BASELINE);
    }
    MaintenanceComparison.Result result = MaintenanceComparison.analyse(
        subjects(condition, covariates), covariates, ComparisonRules.defaults(), Z);
    Map<String, Double> r = Reference.expected("demo_" + condition);

    for (MaintenanceComparison.Model m : result.models()) {
      String prefix = m.name().endsWith("unadjusted") ? "unadjusted" : "adjusted";
      CoxFit fit = m.fit();
      assertNull(fit.problem(), prefix);
      assertEquals(r.get(prefix + ".nterms").intValue(), fit.terms().size(), prefix + " terms");
      for (int j = 0; j < fit.terms().size(); j++) {
        String term = fit.terms().get(j);
        assertClose(r.get(prefix + ".coef." + term), fit.coefficients()[j], prefix + " " + term);
        assertClose(r.get(prefix + ".se." + term), fit.stdErr(j), prefix + " se " + term);
      }
      assertClose(r.get(prefix + ".loglik"), fit.logLik(), prefix + " loglik");
      assertClose(r.get(prefix + ".score.test"), fit.scoreTest(), prefix + " score");
      assertClose(r.get(prefix + ".wald.test"), fit.waldTest(), prefix + " wald");
      for (ProportionalHazardsCheck.Test t : m.checks()) {
        assertClose(r.get(prefix + ".zph.chisq." + t.term()), t.chiSquare(), "zph " + t.term());
      }
    }

    MaintenanceComparison.Landmark l = result.landmark();
    assertClose(r.get("logrank.chisq"), l.logRank().chiSquare(), "log-rank");
    assertClose(r.get("logrank_strata.chisq"), l.logRankByClinic().chiSquare(),
        "log-rank by clinic");
    LogisticRegression ps = l.propensity();
    assertEquals(r.get("ps.nterms").intValue(), ps.terms().size());
    for (int j = 0; j < ps.terms().size(); j++) {
      assertClose(r.get("ps.coef." + ps.terms().get(j)), ps.coefficients()[j],
          "propensity " + ps.terms().get(j));
    }
    int rows = 0;
    for (var e : l.weightedCurves().entrySet()) {
      String group = e.getKey() == LandmarkGroup.MAINTENANCE ? "1" : "0";
      for (WeightedKaplanMeier.Row row : e.getValue()) {
        String key = group + "@" + (long) row.time();
        assertClose(r.get("km.surv." + key), row.survival(), "weighted S " + key);
        assertClose(r.get("km.std.err." + key), row.stdErr(), "weighted SE " + key);
        if (row.survival() > 0 && row.survival() < 1) {
          assertClose(r.get("km.lower." + key), row.ciLower(), "lower " + key);
          assertClose(r.get("km.upper." + key), row.ciUpper(), "upper " + key);
        }
        rows++;
      }
    }
    assertEquals(r.keySet().stream().filter(k -> k.startsWith("km.surv.")).count(), rows);
    assertTrue(!l.balance().isEmpty());
    for (MaintenanceComparison.CovariateBalance b : l.balance()) {
      assertClose(r.get("smd.before." + b.covariate()), b.smdBefore(), "SMD " + b.covariate());
      assertClose(r.get("smd.after." + b.covariate()), b.smdAfter(), "SMD w " + b.covariate());
    }
  }

  /** The participants of one condition, from the intervals rows (as CompareFn gets them). */
  private static List<ComparisonSubject> subjects(String condition, List<String> covariates) {
    Map<String, List<String[]>> byParticipant = new LinkedHashMap<>();
    List<String> lines = lines();
    List<String> header = List.of(lines.get(0).split(","));
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split(",", -1);
      if (cells[header.indexOf("condition")].equals(condition)) {
        byParticipant.computeIfAbsent(cells[0], k -> new ArrayList<>()).add(cells);
      }
    }
    List<ComparisonSubject> subjects = new ArrayList<>();
    byParticipant.forEach((id, rows) -> {
      List<MaintenanceExposure.Interval> intervals = rows.stream()
          .map(c -> new MaintenanceExposure.Interval(
              Integer.parseInt(c[header.indexOf("start")]),
              Integer.parseInt(c[header.indexOf("stop")]),
              c[header.indexOf("event")].equals("1"),
              c[header.indexOf("maintenance")].equals("1")))
          .toList();
      String[] first = rows.get(0);
      String group = first[header.indexOf("landmark_group")];
      double[] values = covariates.stream().mapToDouble(name -> {
        if (name.equals(ComparisonRules.SEX_FEMALE)) {
          String sex = first[header.indexOf("sex")];
          return sex.isEmpty() ? Double.NaN : sex.equals("female") ? 1 : 0;
        }
        String cell = first[header.indexOf(name)];
        return cell.isEmpty() ? Double.NaN : Double.parseDouble(cell);
      }).toArray();
      subjects.add(new ComparisonSubject(id, first[header.indexOf("clinic")], intervals,
          group.isEmpty() ? null : LandmarkGroup.valueOf(group.toUpperCase()), values));
    });
    return subjects;
  }

  private static List<String> lines() {
    try (InputStream in = MaintenanceComparisonTest.class.getResourceAsStream(
        "reference/demo-intervals.csv")) {
      return List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
