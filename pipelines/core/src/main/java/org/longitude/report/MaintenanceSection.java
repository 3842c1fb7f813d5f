package org.longitude.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.longitude.report.ResearchTables.BalanceRow;
import org.longitude.report.ResearchTables.Comparison;
import org.longitude.report.ResearchTables.PhCheck;

/**
 * The report's section on the question the study exists for: does maintenance extend
 * durability? What an observational comparison can say, the adjusted model as a forest plot,
 * covariate balance as a Love plot, the proportional-hazards checks and every comparison row.
 */
final class MaintenanceSection {
  private static final String ADJUSTED = "cox_time_varying_adjusted";
  private final Report report;
  private final Html page;

  MaintenanceSection(Report report, Html page) {
    this.report = report;
    this.page = page;
  }

  void render(List<Comparison> comparisons, List<PhCheck> checks, List<BalanceRow> balance) {
    report.section("maintenance", "Does maintenance extend durability?");
    report.paragraph("What this can and cannot say. Participants were not randomised to "
        + "maintenance: clinics give boosters to some patients and not others, often to those "
        + "doing worse or better, and that choice, not the boosters, can make the groups "
        + "differ. So no comparison here proves that maintenance works. The analyses avoid the "
        + "commonest error (counting, in the maintenance group, time before the first booster "
        + "in which its members could not yet have been boosted): the Cox models count "
        + "maintenance only from the first booster on, and the landmark groups are fixed at "
        + "the landmark, with follow-up from there. The adjusted model and the weighted "
        + "curves balance only what was measured (baseline score, age, sex, baseline "
        + "suicidal ideation, initial infusions); anything else that drives both boosters and "
        + "relapse is still mixed in. A hazard ratio below 1 means fewer relapses per day at "
        + "risk while on maintenance; its interval says how precisely the data pin it down; "
        + "a proportional-hazards check with a small p-value says the ratio changes over "
        + "follow-up, and the single number averages it.");
    if (report.empty(comparisons, "comparisons")) {
      return;
    }
    Map<String, List<Comparison>> byCondition = Charts.group(comparisons,
        Comparison::condition);
    Map<String, List<BalanceRow>> balanceByCondition = Charts.group(balance,
        BalanceRow::condition);
    page.raw("<div class=\"grid3\">");
    for (String condition : report.conditions(byCondition.keySet())) {
      List<Comparison> terms = byCondition.get(condition).stream()
          .filter(c -> c.analysis().equals(ADJUSTED) && c.test().equals("wald_z")
              && c.estimable())
          .toList();
      page.raw("<figure>");
      if (terms.isEmpty()) {
        page.element("p", "empty", report.conditionTitle(condition)
            + ": the adjusted model is not estimable (reason in the table below).");
      } else {
        page.chart(Charts.forest(report.conditionTitle(condition) + " · adjusted model",
            terms.stream().map(Comparison::term).toList(),
            terms.stream().map(c -> new double[] {c.hazardRatio(), c.ciLower(), c.ciUpper()})
                .toList()), "Hazard ratios of the adjusted time-varying Cox model, "
            + condition);
      }
      page.raw("</figure>");
      List<BalanceRow> rows = balanceByCondition.getOrDefault(condition, List.of());
      page.raw("<figure>");
      if (rows.isEmpty() || rows.stream().allMatch(BalanceRow::suppressed)) {
        page.element("p", "empty", report.conditionTitle(condition)
            + ": no balance to show (no weights, or a group too small).");
      } else {
        page.chart(Charts.love(report.conditionTitle(condition) + " · balance",
            rows.stream().map(BalanceRow::covariate).toList(),
            rows.stream().map(BalanceRow::smdUnweighted).toList(),
            rows.stream().map(BalanceRow::smdWeighted).toList()),
            "Standardised mean differences before and after weighting, " + condition);
      }
      page.raw("</figure>");
    }
    page.raw("</div>");
    comparisonTable(comparisons);
    checkTable(checks);
    balanceTable(balance);
  }

  private void comparisonTable(List<Comparison> comparisons) {
    List<List<String>> rows = new ArrayList<>();
    for (Comparison c : comparisons) {
      String estimate = c.hazardRatio() == null ? ""
          : Report.estimate(c.hazardRatio(), c.ciLower(), c.ciUpper(), false);
      String statistic = c.statistic() == null ? ""
          : Html.decimal(c.statistic(), 2) + (c.df() == null ? "" : " (df " + c.df() + ")");
      rows.add(List.of(c.condition(), c.analysis().replace('_', ' '),
          c.term() == null ? "" : c.term(), c.test().replace('_', ' '), estimate, statistic,
          c.p() == null ? "" : pValue(c.p()), report.count(c.participants(), true),
          report.count(c.events(), true),
          c.estimable() ? "" : "not estimable: " + c.reason()));
    }
    page.table("Comparisons (research table comparisons)", List.of("condition", "analysis",
        "term", "test", "hazard ratio (95% CI)", "statistic", "p", "participants",
        "relapses", "note"), rows);
  }

  private void checkTable(List<PhCheck> checks) {
    List<List<String>> rows = new ArrayList<>();
    for (PhCheck c : checks) {
      rows.add(List.of(c.condition(), c.analysis().replace('_', ' '), c.term(),
          c.chiSquare() == null ? "—" : Html.decimal(c.chiSquare(), 2), String.valueOf(c.df()),
          c.p() == null ? "—" : pValue(c.p())));
    }
    report.details("Proportional-hazards checks (Schoenfeld residuals against "
        + "Kaplan–Meier-transformed time, as R's cox.zph)", List.of("condition", "model",
        "term", "chi-squared", "df", "p"), rows);
  }

  private void balanceTable(List<BalanceRow> balance) {
    List<List<String>> rows = new ArrayList<>();
    for (BalanceRow b : balance) {
      rows.add(List.of(b.condition(), b.covariate(), smd(b.smdUnweighted(), b.suppressed()),
          smd(b.smdWeighted(), b.suppressed()), report.count(b.maintenance(), true),
          report.count(b.none(), true)));
    }
    report.details("Covariate balance at the landmark (|SMD| < 0.1: balanced)",
        List.of("condition", "covariate", "SMD unweighted", "SMD weighted", "maintenance",
            "none"), rows);
  }

  private String smd(Double value, boolean suppressed) {
    return value == null ? (suppressed ? report.count(null, true) : "—")
        : Html.decimal(value, 3);
  }

  private static String pValue(double p) {
    return p < 0.0001 ? "< 0.0001" : Html.decimal(p, 4);
  }
}
