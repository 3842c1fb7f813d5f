package org.longitude.demo;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Simulates one participant's clinical course, independent of how a clinic codes it. All
 * randomness comes from the {@link SplittableRandom} passed in, so a participant is a pure
 * function of its seed.
 */
final class CohortSimulator {

  static final LocalDate INDEX_FROM = LocalDate.of(2021, 1, 1);
  static final LocalDate INDEX_TO = LocalDate.of(2023, 6, 30);
  /** No clean visit after this date, so that lastUpdated (visit + up to 3 days) stays in range. */
  static final LocalDate LAST_VISIT = SyntheticStudy.REFERENCE_DATE.minusDays(3);

  private static final double YEARLY_RETENTION = 0.75;
  private static final double EARLY_LOSS = 0.06;
  private static final int END_OF_COURSE = 21;

  enum Course { REMISSION, RESPONSE, NONE }

  /** One assessment visit; {@code pcl5} is null when PCL-5 was not administered. */
  record Visit(int day, int phq9, int item9, int gad7, Integer pcl5) {}

  record Infusion(int day, boolean booster) {}

  record Trajectory(
      LocalDate index,
      int baselinePhq9,
      int baselineGad7,
      Integer baselinePcl5,
      boolean ptsd,
      boolean boosters,
      Course course,
      Integer relapseDay,
      List<Infusion> infusions,
      List<Visit> visits) {}

  private CohortSimulator() {}

  static Trajectory simulate(SplittableRandom r) {
    return simulate(r, null);
  }

  /** @param scenario a known maintenance effect (null: the demo's own course of boosters) */
  static Trajectory simulate(SplittableRandom r, BoosterScenario scenario) {
    LocalDate index =
        INDEX_FROM.plusDays(r.nextInt((int) ChronoUnit.DAYS.between(INDEX_FROM, INDEX_TO) + 1));

    boolean depressed = r.nextDouble() < 0.85;
    int b = depressed ? clamp(Math.round(17 + 4.5 * gauss(r)), 10, 27) : 4 + r.nextInt(6);
    int item9Base = 0;
    if (r.nextDouble() < (depressed ? 0.45 : 0.10)) {
      double u = r.nextDouble();
      item9Base = u < 0.6 ? 1 : u < 0.88 ? 2 : 3;
    }
    item9Base = Math.max(Math.min(item9Base, b), b - 24);
    int gadBase = clamp(Math.round(0.7 * b + 2 + 3 * gauss(r)), 0, 21);
    boolean ptsd = r.nextDouble() < 0.40;
    Integer pclBase;
    if (ptsd) {
      pclBase = clamp(Math.round(50 + 10 * gauss(r)), 33, 80);
    } else {
      pclBase = r.nextBoolean() ? null : clamp(Math.round(16 + 7 * gauss(r)), 0, 32);
    }

    double u = r.nextDouble();
    Course course = u < 0.35 ? Course.REMISSION : u < 0.50 ? Course.RESPONSE : Course.NONE;
    int half = b / 2;
    int[] band = endBand(course, b);
    int end = band[0] + r.nextInt(band[1] - band[0] + 1);

    int followUp = followUpDays(r, index);
    if (scenario != null) {
      followUp = Math.min(followUp, BoosterScenario.MAX_FOLLOW_UP);
    }
    boolean boosters = r.nextDouble() < 0.40;
    int boosterStop = r.nextDouble() < 0.35 ? Integer.MAX_VALUE : 270 + r.nextInt(720);

    Integer relapseDay = null;
    int boosterStart = 0;
    if (scenario != null) {
      double severity = (b - 17) / 4.5;
      boosters = r.nextDouble() < logistic(BoosterScenario.BOOSTER_LOG_ODDS
          + BoosterScenario.SEVERITY_BOOSTER_LOG_ODDS * severity);
      boosterStart = 36 + (int) (-Math.log(1 - r.nextDouble())
          * BoosterScenario.MEAN_BOOSTER_DELAY);
      double hazard = BoosterScenario.BASE_HAZARD
          * Math.exp(BoosterScenario.SEVERITY_HAZARD * severity);
      double after = relapseAfterCourse(r, hazard, scenario.hazardRatio(),
          boosters ? boosterStart - END_OF_COURSE : Double.POSITIVE_INFINITY);
      relapseDay = course == Course.NONE || after > 100_000 ? null
          : END_OF_COURSE + (int) Math.ceil(after);
      // Boosters are maintenance: they stop when the clinic sees the relapse, at the next
      // visit (stopping at the unseen onset would tie them to the relapse, as no clinic can).
      boosterStop = relapseDay == null ? Integer.MAX_VALUE : scenarioVisitOnOrAfter(relapseDay);
    } else if (course != Course.NONE) {
      double noBooster = 135 * Math.exp(0.7 * gauss(r));
      double withBooster = 420 * Math.exp(0.6 * gauss(r));
      double after;
      if (!boosters) {
        after = noBooster;
      } else if (boosterStop < END_OF_COURSE + withBooster) {
        after = Math.min(withBooster, boosterStop - END_OF_COURSE + noBooster);
      } else {
        after = withBooster;
      }
      relapseDay = END_OF_COURSE + (int) Math.round(after);
    }
    int relapseThreshold = Math.max(half + 1, 10);
    int relapseLevel = Math.max(relapseThreshold, (int) Math.round(b * (0.75 + 0.25 * r.nextDouble())));

    // Item 9: two thirds clear within the first days, more often in those who respond.
    int siClearDay = Integer.MAX_VALUE;
    if (item9Base > 0) {
      double early = course == Course.NONE ? 0.46 : 0.82;
      if (r.nextDouble() < early) {
        siClearDay = r.nextDouble() < 0.6 ? 1 : 3;
      } else if (course != Course.NONE || r.nextBoolean()) {
        siClearDay = 7 + r.nextInt(40);
      }
    }
    boolean siReturns = r.nextDouble() < 0.4;

    List<Infusion> infusions = new ArrayList<>();
    int[] initial = {0, 2 + r.nextInt(3), 6 + r.nextInt(3), 10 + r.nextInt(3), 14 + r.nextInt(3),
        18 + r.nextInt(4)};
    for (int day : initial) {
      if (day <= followUp) {
        infusions.add(new Infusion(day, false));
      }
    }
    if (boosters) {
      // Boosters follow the initial course, which ends on day 35.
      int first = scenario != null ? boosterStart : 36 + r.nextInt(15);
      for (int day = first; day <= followUp && day < boosterStop;
          day += 14 + r.nextInt(15)) {
        infusions.add(new Infusion(day, true));
      }
    }

    List<Integer> days = new ArrayList<>();
    days.add(-r.nextInt(15));
    for (int day : new int[] {1, 3, 7, 14, 21, 28}) {
      if (day <= followUp) {
        days.add(day);
      }
    }
    if (scenario != null) {
      for (int day = scenarioVisitOnOrAfter(29); day <= followUp;
          day = scenarioVisitOnOrAfter(day + 1)) {
        days.add(day);
      }
    } else {
      for (int day = 28 + 28 + r.nextInt(8); day <= followUp; day += 28 + r.nextInt(8)) {
        if (r.nextDouble() >= 0.12) {
          days.add(day);
        }
      }
    }

    List<Visit> visits = new ArrayList<>();
    for (int day : days) {
      double level;
      int phq;
      if (day <= 0) {
        level = b;
        phq = b;
      } else if (relapseDay != null && day >= relapseDay && (day > 35 || scenario != null)) {
        // The demo keeps the end-of-course band to day 35; a scenario shows a relapse as soon
        // as it happens (a relapse hidden until a later visit would shift its time).
        level = relapseLevel;
        phq = clamp(Math.round(level + 1.5 * gauss(r)), relapseThreshold, 27);
      } else if (day <= 35) {
        level = end + (b - end) * Math.exp(-day / 6.0);
        phq = clamp(Math.round(level + 1.2 * gauss(r)), 0, 27);
        if (day >= END_OF_COURSE) {
          phq = clamp(phq, band[0], band[1]);
        }
      } else if (relapseDay != null) {
        level = end;
        phq = clamp(Math.round(level + 1.5 * gauss(r)), 0, Math.max(half, 9));
      } else {
        level = end;
        // In a scenario, scores do not cross the response line by chance: its truth is about
        // relapses of real responders only.
        phq = scenario == null ? clamp(Math.round(level + 2 * gauss(r)), 0, 27)
            : course == Course.NONE ? clamp(Math.round(level + 2 * gauss(r)), half + 1, 27)
            : clamp(Math.round(level + 1.5 * gauss(r)), 0, Math.max(half, 9));
      }
      int item9;
      if (day <= 0) {
        item9 = item9Base;
      } else if (day < siClearDay) {
        item9 = Math.min(item9Base, phq);
      } else if (relapseDay != null && day >= relapseDay && siReturns && item9Base > 0) {
        item9 = 1;
      } else {
        item9 = 0;
      }
      item9 = Math.max(item9, phq - 24);
      double ratio = b == 0 ? 1 : Math.min(1.2, level / b);
      int gad = day <= 0 ? gadBase : clamp(Math.round(gadBase * ratio + 1.2 * gauss(r)), 0, 21);
      Integer pcl = null;
      if (pclBase != null && (day <= 0 || day >= 7)) {
        pcl = day <= 0 ? pclBase
            : clamp(Math.round(pclBase * (0.25 + 0.75 * ratio) + 3 * gauss(r)), 0, 80);
      }
      visits.add(new Visit(day, phq, item9, gad, pcl));
    }
    return new Trajectory(index, b, gadBase, pclBase, ptsd, boosters, course, relapseDay,
        List.copyOf(infusions), List.copyOf(visits));
  }

  /** The inclusive PHQ-9 band days 21-35 stay in, so that the end-of-course status is stable. */
  private static int[] endBand(Course course, int baseline) {
    int half = baseline / 2;
    switch (course) {
      case REMISSION:
        return new int[] {0, Math.min(4, baseline)};
      case RESPONSE:
        return half >= 5 ? new int[] {5, half} : new int[] {0, half};
      default:
        return new int[] {Math.min(half + 1, baseline), baseline};
    }
  }

  private static int followUpDays(SplittableRandom r, LocalDate index) {
    int limit = (int) Math.min(ChronoUnit.DAYS.between(index, index.plusYears(4)),
        ChronoUnit.DAYS.between(index, LAST_VISIT));
    int dropout;
    if (r.nextDouble() < EARLY_LOSS) {
      dropout = 1 + r.nextInt(60);
    } else {
      double rate = -Math.log(YEARLY_RETENTION) / 365.25;
      dropout = (int) Math.min(Integer.MAX_VALUE / 2, -Math.log(1 - r.nextDouble()) / rate);
    }
    return Math.min(limit, dropout);
  }

  /**
   * Days from the course's end to relapse with a constant hazard, multiplied by {@code ratio}
   * from {@code switchAt} days on (piecewise exponential, by inversion).
   */
  static double relapseAfterCourse(SplittableRandom r, double hazard, double ratio,
      double switchAt) {
    double e = -Math.log(1 - r.nextDouble());
    if (e < hazard * switchAt) {
      return e / hazard;
    }
    return switchAt + (e - hazard * switchAt) / (hazard * ratio);
  }

  /** The first visit of a scenario's schedule on or after {@code day} (from day 28 on). */
  private static int scenarioVisitOnOrAfter(int day) {
    int every = BoosterScenario.VISIT_EVERY_DAYS;
    return day <= 28 ? 28 : 28 + every * ((day - 28 + every - 1) / every);
  }

  private static double logistic(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  static double gauss(SplittableRandom r) {
    // Box-Muller: SplittableRandom has no nextGaussian on Java 17.
    double u1 = 1 - r.nextDouble();
    double u2 = r.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  static int clamp(long value, int lo, int hi) {
    return (int) Math.max(lo, Math.min(hi, value));
  }
}
