package org.longitude.cohort.rules;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Does maintenance extend durability? The analyses of one condition's responders, each free of
 * immortal time:
 *
 * <ul>
 *   <li>Cox models with maintenance as a time-varying covariate, unadjusted and adjusted for the
 *       covariates (complete cases) with the clinic as strata of the baseline hazard, each with
 *       its proportional-hazards check;
 *   <li>the landmark comparison: groups fixed L days after first response among those
 *       relapse-free and followed then, log-rank tests (plain and stratified by clinic), and
 *       curves weighted by stabilised inverse-probability-of-treatment weights from a logistic
 *       propensity model on the covariates, with the covariates' balance before and after.
 * </ul>
 *
 * <p>Subjects should come in a fixed order (e.g. by participant): the results are then
 * reproducible to the last bit.
 */
public final class MaintenanceComparison {

  /** Names of the analyses, as published. */
  public static final String COX_UNADJUSTED = "cox_time_varying_unadjusted";
  public static final String COX_ADJUSTED = "cox_time_varying_adjusted";

  /**
   * One Cox model: its fit (maybe not estimable), checks, the subjects it used, and the
   * covariates left out with the reason ({@link CovariateScreen}).
   */
  public record Model(String name, CoxFit fit, List<ProportionalHazardsCheck.Test> checks,
      int subjects, Map<String, String> leftOut) {}

  /** One covariate's balance between the landmark groups. */
  public record CovariateBalance(String covariate, double meanMaintenance, double meanNone,
      double weightedMeanMaintenance, double weightedMeanNone, double smdBefore,
      double smdAfter) {}

  /**
   * The landmark comparison.
   *
   * @param subjects per group: in the group at the landmark
   * @param events per group: relapses after the landmark
   * @param weightedSubjects per group: of those, with every covariate (used for the weights)
   * @param propensity the propensity model ({@code null} with fewer than two subjects in a
   *     group; not estimable: no weighted curves or balance)
   * @param propensityLeftOut covariates left out of it, with the reason
   * @param weightedCurves per group, the weighted Kaplan–Meier, times since first response
   */
  public record Landmark(int day, Map<LandmarkGroup, Integer> subjects,
      Map<LandmarkGroup, Integer> events, LogRank.Result logRank, LogRank.Result logRankByClinic,
      Map<LandmarkGroup, Integer> weightedSubjects, LogisticRegression propensity,
      Map<String, String> propensityLeftOut,
      Map<LandmarkGroup, List<WeightedKaplanMeier.Row>> weightedCurves,
      List<CovariateBalance> balance) {}

  public record Result(List<Model> models, Landmark landmark) {}

  private MaintenanceComparison() {}

  /**
   * @param covariates names of the subjects' covariate values, in order
   * @param z normal quantile of the curves' intervals
   */
  public static Result analyse(List<ComparisonSubject> subjects, List<String> covariates,
      ComparisonRules rules, double z) {
    List<ComparisonSubject> complete =
        subjects.stream().filter(ComparisonSubject::complete).toList();
    int minEvents = rules.cox().minEventsPerTerm();
    List<Model> models = List.of(
        model(COX_UNADJUSTED, subjects, new CovariateScreen(List.of(), Map.of()), List.of(),
            false, rules),
        model(COX_ADJUSTED, complete, CovariateScreen.forCox(complete, covariates, minEvents),
            covariates, true, rules));
    return new Result(models, landmark(subjects, covariates, rules, z));
  }

  private static Model model(String name, List<ComparisonSubject> subjects,
      CovariateScreen screen, List<String> covariates, boolean clinicStrata,
      ComparisonRules rules) {
    List<String> terms = new ArrayList<>(List.of(ComparisonRules.MAINTENANCE));
    terms.addAll(screen.names(covariates));
    Map<String, Integer> clinics = codes(subjects);
    int rows = subjects.stream().mapToInt(s -> s.intervals().size()).sum();
    double[] start = new double[rows];
    double[] stop = new double[rows];
    boolean[] event = new boolean[rows];
    int[] strata = new int[rows];
    double[][] x = new double[rows][terms.size()];
    int r = 0;
    for (ComparisonSubject s : subjects) {
      double[] values = screen.values(s);
      for (MaintenanceExposure.Interval i : s.intervals()) {
        start[r] = i.start();
        stop[r] = i.stop();
        event[r] = i.event();
        strata[r] = clinicStrata ? clinics.get(s.clinic()) : 0;
        x[r][0] = i.maintenance() ? 1 : 0;
        System.arraycopy(values, 0, x[r], 1, values.length);
        r++;
      }
    }
    CoxData data = new CoxData(terms, start, stop, event, strata, x);
    CoxFit fit = CoxModel.fit(data, rules.cox());
    return new Model(name, fit,
        fit.estimable() ? ProportionalHazardsCheck.of(data, fit) : List.of(), subjects.size(),
        screen.leftOut());
  }

  private static Landmark landmark(List<ComparisonSubject> all, List<String> covariates,
      ComparisonRules rules, double z) {
    int day = rules.landmarkDay();
    List<ComparisonSubject> in = all.stream().filter(s -> s.group() != null).toList();
    Map<String, Integer> clinics = codes(in);
    int n = in.size();
    double[] time = new double[n];
    boolean[] event = new boolean[n];
    boolean[] maintenance = new boolean[n];
    int[] clinic = new int[n];
    for (int i = 0; i < n; i++) {
      ComparisonSubject s = in.get(i);
      time[i] = s.followUp() - day;
      event[i] = s.relapsed();
      maintenance[i] = s.group() == LandmarkGroup.MAINTENANCE;
      clinic[i] = clinics.get(s.clinic());
    }
    Map<LandmarkGroup, Integer> subjects = perGroup(in, false);
    boolean bothGroups = subjects.values().stream().allMatch(c -> c > 0);
    LogRank.Result plain = bothGroups ? LogRank.test(time, event, maintenance, new int[n]) : null;
    LogRank.Result byClinic = bothGroups ? LogRank.test(time, event, maintenance, clinic) : null;

    List<ComparisonSubject> complete = in.stream().filter(ComparisonSubject::complete).toList();
    Weighting w = weighting(complete, covariates, rules, z, day);
    return new Landmark(day, subjects, perGroup(in, true), plain, byClinic,
        perGroup(complete, false), w.propensity, w.leftOut, w.curves, w.balance);
  }

  /** Subjects (or their relapses) per landmark group. */
  private static Map<LandmarkGroup, Integer> perGroup(List<ComparisonSubject> subjects,
      boolean relapses) {
    Map<LandmarkGroup, Integer> counts = new TreeMap<>();
    for (LandmarkGroup g : LandmarkGroup.values()) {
      counts.put(g, (int) subjects.stream()
          .filter(s -> s.group() == g && (!relapses || s.relapsed())).count());
    }
    return counts;
  }

  private record Weighting(LogisticRegression propensity, Map<String, String> leftOut,
      Map<LandmarkGroup, List<WeightedKaplanMeier.Row>> curves, List<CovariateBalance> balance) {}

  private static Weighting weighting(List<ComparisonSubject> subjects, List<String> covariates,
      ComparisonRules rules, double z, int day) {
    int n = subjects.size();
    boolean[] maintenance = new boolean[n];
    int treated = 0;
    for (int i = 0; i < n; i++) {
      maintenance[i] = subjects.get(i).group() == LandmarkGroup.MAINTENANCE;
      treated += maintenance[i] ? 1 : 0;
    }
    if (treated < 2 || n - treated < 2) {
      return new Weighting(null, Map.of(), Map.of(), List.of());
    }
    CovariateScreen screen = CovariateScreen.forPropensity(subjects, covariates);
    double[][] x = subjects.stream().map(screen::values).toArray(double[][]::new);
    LogisticRegression propensity =
        LogisticRegression.fit(screen.names(covariates), maintenance, x);
    if (!propensity.estimable()) {
      return new Weighting(propensity, screen.leftOut(), Map.of(), List.of());
    }
    double[] weights = TreatmentWeights.stabilised(maintenance, propensity.fitted(),
        rules.weightPercentiles().get(0), rules.weightPercentiles().get(1));

    Map<LandmarkGroup, List<WeightedKaplanMeier.Row>> curves = new TreeMap<>();
    for (LandmarkGroup g : LandmarkGroup.values()) {
      List<Integer> members = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        if (maintenance[i] == (g == LandmarkGroup.MAINTENANCE)) {
          members.add(i);
        }
      }
      // Follow-up from the landmark on; times shifted back to days since first response.
      double[] sinceLandmark = new double[members.size()];
      boolean[] event = new boolean[members.size()];
      double[] w = new double[members.size()];
      for (int k = 0; k < members.size(); k++) {
        sinceLandmark[k] = subjects.get(members.get(k)).followUp() - day;
        event[k] = subjects.get(members.get(k)).relapsed();
        w[k] = weights[members.get(k)];
      }
      curves.put(g, WeightedKaplanMeier.fit(sinceLandmark, event, w, z).stream()
          .map(row -> shifted(row, day)).toList());
    }

    // Balance of every covariate that varies, in the propensity model or not.
    double[] ones = new double[n];
    Arrays.fill(ones, 1);
    List<CovariateBalance> balance = new ArrayList<>();
    for (int c : CovariateScreen.varying(subjects, covariates).kept()) {
      double[] column = new double[n];
      for (int i = 0; i < n; i++) {
        column[i] = subjects.get(i).covariates()[c];
      }
      balance.add(new CovariateBalance(covariates.get(c),
          Balance.mean(column, maintenance, true, ones),
          Balance.mean(column, maintenance, false, ones),
          Balance.mean(column, maintenance, true, weights),
          Balance.mean(column, maintenance, false, weights),
          Balance.standardisedDifference(column, maintenance, ones),
          Balance.standardisedDifference(column, maintenance, weights)));
    }
    return new Weighting(propensity, screen.leftOut(), curves, balance);
  }

  private static WeightedKaplanMeier.Row shifted(WeightedKaplanMeier.Row r, int day) {
    return new WeightedKaplanMeier.Row(r.time() + day, r.subjectsAtRisk(), r.events(),
        r.censored(), r.weightAtRisk(), r.survival(), r.stdErr(), r.ciLower(), r.ciUpper());
  }

  /** Clinics numbered in name order, for strata. */
  private static Map<String, Integer> codes(List<ComparisonSubject> subjects) {
    Map<String, Integer> codes = new TreeMap<>();
    subjects.forEach(s -> codes.putIfAbsent(s.clinic(), 0));
    int i = 0;
    for (Map.Entry<String, Integer> e : codes.entrySet()) {
      e.setValue(i++);
    }
    return codes;
  }
}
