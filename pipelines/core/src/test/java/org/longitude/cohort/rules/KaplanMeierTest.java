package org.longitude.cohort.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Kaplan–Meier against a textbook table, hand-worked cases and an independent implementation. */
class KaplanMeierTest {

  private static final double Z = CohortRules.defaults().confidenceZ();

  /** One subject: at risk from {@code entry} (inclusive) to {@code exit}. */
  private record Subject(int entry, int exit, boolean event) {}

  private static DayCounts counts(int[] times, boolean[] events) {
    DayCounts c = new DayCounts();
    for (int i = 0; i < times.length; i++) {
      c.addSubject(times[i], events[i]);
    }
    return c;
  }

  /**
   * Freireich et al. 6-MP group (Gehan 1965), as tabulated in Kleinbaum &amp; Klein: survival and
   * Greenwood SE. The log(-log) limits are those printed by R {@code survfit(conf.type =
   * "log-log")}.
   */
  @Test
  void sixMpLeukemiaRemissionTable() {
    int[] t = {6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35};
    boolean[] e = {
      true, true, true, false, true, false, true, false, false, true, true, false, false, false,
      true, true, false, false, false, false, false
    };
    KaplanMeier km = KaplanMeier.fit(counts(t, e), Z);

    int[] days = {6, 7, 10, 13, 16, 22, 23};
    long[] atRisk = {21, 17, 15, 12, 11, 7, 6};
    double[] s = {0.857, 0.807, 0.753, 0.690, 0.627, 0.538, 0.448};
    double[] se = {0.076, 0.087, 0.096, 0.107, 0.114, 0.128, 0.135};
    double[] lo = {0.620, 0.563, 0.503, 0.432, 0.368, 0.268, 0.188};
    double[] hi = {0.952, 0.923, 0.889, 0.849, 0.805, 0.747, 0.680};
    for (int i = 0; i < days.length; i++) {
      final int day = days[i];
      KaplanMeier.Row r =
          km.rows().stream().filter(x -> x.day() == day).findFirst().orElseThrow();
      assertEquals(atRisk[i], r.atRisk(), "n at " + day);
      assertEquals(s[i], r.survival(), 0.0005, "S at " + day);
      assertEquals(se[i], r.stdErr(), 0.0005, "SE at " + day);
      assertEquals(lo[i], r.ciLower(), 0.0005, "lower at " + day);
      assertEquals(hi[i], r.ciUpper(), 0.0005, "upper at " + day);
    }
    // Exact first step: 18/21.
    assertEquals(18.0 / 21, km.rows().get(0).survival(), 1e-15);
    assertEquals(3, km.rows().get(0).events());
    assertEquals(1, km.rows().get(0).censored());
    // 16 distinct days with an event or a censoring.
    assertEquals(16, km.rows().size());
    assertEquals(35, km.lastDay());
  }

  @Test
  void censoringOnAnEventDay() {
    // Times 3, 5, 5+, 8, 10+. Day 5: the censored subject is still at risk (n = 4).
    // S(3) = 4/5 = 0.8; S(5) = 0.8 * 3/4 = 0.6; S(8) = 0.6 * 1/2 = 0.3; S(10) = 0.3.
    // Greenwood sum at 5: 1/(5*4) + 1/(4*3) = 2/15; SE = 0.6 * sqrt(2/15).
    KaplanMeier km =
        KaplanMeier.fit(
            counts(new int[] {3, 5, 5, 8, 10}, new boolean[] {true, true, false, true, false}), Z);
    List<KaplanMeier.Row> rows = km.rows();
    assertEquals(4, rows.size());
    KaplanMeier.Row day5 = rows.get(1);
    assertEquals(5, day5.day());
    assertEquals(4, day5.atRisk());
    assertEquals(1, day5.events());
    assertEquals(1, day5.censored());
    assertEquals(0.6, day5.survival(), 1e-15);
    assertEquals(0.6 * Math.sqrt(2.0 / 15), day5.stdErr(), 1e-15);
    assertEquals(2, rows.get(2).atRisk());
    assertEquals(0.3, rows.get(2).survival(), 1e-15);
    assertEquals(1, rows.get(3).atRisk());
    assertEquals(0.3, rows.get(3).survival(), 1e-15);
    double ll = Math.sqrt(2.0 / 15) / -Math.log(0.6);
    assertEquals(Math.pow(0.6, Math.exp(Z * ll)), day5.ciLower(), 1e-15);
    assertEquals(Math.pow(0.6, Math.exp(-Z * ll)), day5.ciUpper(), 1e-15);
  }

  @Test
  void stepFunction() {
    KaplanMeier km =
        KaplanMeier.fit(
            counts(new int[] {3, 5, 5, 8, 10}, new boolean[] {true, true, false, true, false}), Z);
    assertEquals(new KaplanMeier.Estimate(2.9, 1, 0, 1, 1), km.at(2.9));
    assertEquals(0.8, km.at(3).survival(), 1e-15);
    assertEquals(0.8, km.at(4.99).survival(), 1e-15);
    KaplanMeier.Row day5 = km.rows().get(1);
    KaplanMeier.Estimate at7 = km.at(7);
    assertEquals(day5.survival(), at7.survival());
    assertEquals(day5.ciLower(), at7.ciLower());
    assertEquals(day5.ciUpper(), at7.ciUpper());
    assertEquals(0.3, km.at(1000).survival(), 1e-15);
  }

  @Test
  void survivalReachingZeroHasDegenerateInterval() {
    // 2 subjects: event on 4, event on 6. S(4) = 0.5, S(6) = 0.
    KaplanMeier km = KaplanMeier.fit(counts(new int[] {4, 6}, new boolean[] {true, true}), Z);
    KaplanMeier.Row last = km.rows().get(1);
    assertEquals(0, last.survival());
    assertEquals(0, last.stdErr());
    assertEquals(0, last.ciLower());
    assertEquals(0, last.ciUpper());
    // Censoring only: S stays 1 with interval [1, 1].
    KaplanMeier none = KaplanMeier.fit(counts(new int[] {4}, new boolean[] {false}), Z);
    assertEquals(new KaplanMeier.Row(4, 1, 0, 1, 1, 0, 1, 1), none.rows().get(0));
    assertEquals(List.of(), KaplanMeier.fit(new DayCounts(), Z).rows());
  }

  @Test
  void delayedEntryHandWorked() {
    // (entry, exit): (10, 30 event), (20, 25 cens), (25, 40 cens), (28, 40 event), (50, 60 cens).
    // Day 25: entered 10, 20, 25; none exited before 25: n = 3 (the day-25 entrant counts).
    // Day 30: 4 entered, 1 exited before: n = 3, one event: S = 2/3.
    // Day 40: 4 entered, 2 exited before: n = 2, one event, one censoring: S = 1/3.
    // Day 60: 5 entered, 4 exited: n = 1, censored. Greenwood at 40: 1/(3*2) + 1/(2*1) = 2/3.
    DayCounts c = new DayCounts();
    c.addSubject(10, 30, true)
        .addSubject(20, 25, false)
        .addSubject(25, 40, false)
        .addSubject(28, 40, true)
        .addSubject(50, 60, false);
    KaplanMeier km = KaplanMeier.fitDelayedEntry(c, Z);
    List<KaplanMeier.Row> rows = km.rows();
    assertEquals(List.of(25, 30, 40, 60), rows.stream().map(KaplanMeier.Row::day).toList());
    assertEquals(List.of(3L, 3L, 2L, 1L), rows.stream().map(KaplanMeier.Row::atRisk).toList());
    assertEquals(1.0, rows.get(0).survival());
    assertEquals(2.0 / 3, rows.get(1).survival(), 1e-15);
    assertEquals(1.0 / 3, rows.get(2).survival(), 1e-15);
    assertEquals(1.0 / 3 * Math.sqrt(2.0 / 3), rows.get(2).stdErr(), 1e-15);
    assertEquals(1.0 / 3, km.at(59).survival(), 1e-15);

    assertThrows(IllegalArgumentException.class, () -> KaplanMeier.fit(c, Z));
    DayCounts unbalanced = new DayCounts().add(5, 0, 0, 2).addSubject(7, true);
    assertThrows(IllegalArgumentException.class, () -> KaplanMeier.fitDelayedEntry(unbalanced, Z));
    DayCounts exitBeforeEntry = new DayCounts().addSubject(7, true).add(9, 0, 0, 1);
    assertThrows(
        IllegalArgumentException.class, () -> KaplanMeier.fitDelayedEntry(exitBeforeEntry, Z));
  }

  @Test
  void matchesNaiveProductLimitOnRandomData() {
    Random random = new Random(20240611L);
    for (int dataset = 0; dataset < 300; dataset++) {
      List<Subject> subjects = randomSubjects(random, false);
      DayCounts c = new DayCounts();
      subjects.forEach(s -> c.addSubject(s.exit(), s.event()));
      assertSameCurve(naive(subjects, false), KaplanMeier.fit(c, Z), dataset);
    }
  }

  @Test
  void delayedEntryMatchesNaiveProductLimitOnRandomData() {
    Random random = new Random(977L);
    for (int dataset = 0; dataset < 300; dataset++) {
      List<Subject> subjects = randomSubjects(random, true);
      // Accumulate in shuffled pieces, merged in another order: like a Beam combine.
      List<DayCounts> parts = new ArrayList<>();
      for (int p = 0; p < 3; p++) {
        parts.add(new DayCounts());
      }
      subjects.forEach(
          s -> parts.get(random.nextInt(3)).addSubject(s.entry(), s.exit(), s.event()));
      DayCounts merged = parts.get(2).merge(parts.get(0)).merge(parts.get(1));
      assertSameCurve(naive(subjects, true), KaplanMeier.fitDelayedEntry(merged, Z), dataset);
    }
  }

  @Test
  void dayCountsMergeAndSerialize() throws Exception {
    DayCounts a = new DayCounts().addSubject(3, true).addSubject(5, false);
    DayCounts b = new DayCounts().addSubject(3, false).addSubject(1, 5, true);
    DayCounts all =
        new DayCounts()
            .addSubject(3, true)
            .addSubject(5, false)
            .addSubject(3, false)
            .addSubject(1, 5, true);
    assertEquals(all, new DayCounts().merge(b).merge(a));
    assertEquals(new DayCounts.Counts(1, 1, 0), all.snapshot().get(3));
    assertEquals(new DayCounts.Counts(1, 1, 0), all.snapshot().get(5));
    assertEquals(new DayCounts.Counts(0, 0, 1), all.snapshot().get(1));

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    KaplanMeier km = KaplanMeier.fit(a, Z);
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(all);
      out.writeObject(km);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertEquals(all, in.readObject());
      assertEquals(km.rows(), ((KaplanMeier) in.readObject()).rows());
    }
  }

  private static List<Subject> randomSubjects(Random random, boolean delayed) {
    int n = 1 + random.nextInt(60);
    int maxDay = 1 + random.nextInt(25); // small range: many ties
    double eventRate = random.nextDouble();
    List<Subject> subjects = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int entry = delayed ? random.nextInt(maxDay + 1) : 0;
      int exit = entry + random.nextInt(maxDay + 1);
      subjects.add(new Subject(entry, exit, random.nextDouble() < eventRate));
    }
    return subjects;
  }

  /** Independent product-limit: risk sets counted subject by subject at each distinct time. */
  private static List<KaplanMeier.Row> naive(List<Subject> subjects, boolean delayed) {
    TreeSet<Integer> times = new TreeSet<>();
    subjects.forEach(s -> times.add(s.exit()));
    List<KaplanMeier.Row> rows = new ArrayList<>();
    double survival = 1;
    double sum = 0;
    for (int t : times) {
      long n = 0;
      long d = 0;
      long c = 0;
      for (Subject s : subjects) {
        if ((!delayed || s.entry() <= t) && s.exit() >= t) {
          n++;
        }
        if (s.exit() == t) {
          if (s.event()) {
            d++;
          } else {
            c++;
          }
        }
      }
      if (d > 0 && survival > 0) {
        survival *= (double) (n - d) / n;
        if (n > d) {
          sum += (double) d / ((double) n * (n - d));
        }
      }
      double lower;
      double upper;
      double se;
      if (survival <= 0 || survival >= 1) {
        lower = survival;
        upper = survival;
        se = 0;
      } else {
        se = survival * Math.sqrt(sum);
        double theta = Math.log(-Math.log(survival));
        double w = Z * Math.sqrt(sum) / -Math.log(survival);
        lower = Math.exp(-Math.exp(theta + w));
        upper = Math.exp(-Math.exp(theta - w));
      }
      rows.add(new KaplanMeier.Row(t, n, d, c, survival, se, lower, upper));
    }
    return rows;
  }

  private static void assertSameCurve(
      List<KaplanMeier.Row> expected, KaplanMeier actual, int dataset) {
    List<KaplanMeier.Row> rows = actual.rows();
    assertEquals(expected.size(), rows.size(), "rows, dataset " + dataset);
    for (int i = 0; i < rows.size(); i++) {
      KaplanMeier.Row x = expected.get(i);
      KaplanMeier.Row y = rows.get(i);
      String where = "dataset " + dataset + " day " + x.day();
      assertEquals(x.day(), y.day(), where);
      assertEquals(x.atRisk(), y.atRisk(), where);
      assertEquals(x.events(), y.events(), where);
      assertEquals(x.censored(), y.censored(), where);
      assertEquals(x.survival(), y.survival(), 1e-12, where);
      assertEquals(x.stdErr(), y.stdErr(), 1e-12, where);
      assertEquals(x.ciLower(), y.ciLower(), 1e-12, where);
      assertEquals(x.ciUpper(), y.ciUpper(), 1e-12, where);
      assertEquals(x.survival(), actual.at(x.day() + 0.5).survival(), 1e-12, where);
    }
  }
}
