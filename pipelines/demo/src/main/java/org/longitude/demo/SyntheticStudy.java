package org.longitude.demo;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A deterministic synthetic ketamine-infusion study across the three demo clinics. The same
 * seed and size always give identical resources (ids, values, dates and meta).
 *
 * <pre>{@code
 * SyntheticStudy study = SyntheticStudy.generate(42, 200);
 * ClinicDataset north = study.clinic("north");
 * GroundTruth truth = north.truth();
 * }</pre>
 */
public final class SyntheticStudy {

  /** The generator's fixed "now": no clean record is dated or updated later than this day. */
  public static final LocalDate REFERENCE_DATE = LocalDate.of(2026, 6, 30);

  private final long seed;
  private final int participantsPerClinic;
  private final List<ClinicDataset> clinics;
  private final CohortSummary summary;

  private SyntheticStudy(long seed, int participantsPerClinic, List<ClinicDataset> clinics,
      CohortSummary summary) {
    this.seed = seed;
    this.participantsPerClinic = participantsPerClinic;
    this.clinics = List.copyOf(clinics);
    this.summary = summary;
  }

  /** Generates {@code participantsPerClinic} participants for each {@link ClinicProfile}. */
  public static SyntheticStudy generate(long seed, int participantsPerClinic) {
    return generate(seed, participantsPerClinic, null);
  }

  /**
   * As {@link #generate(long, int)}, with boosters and relapses drawn from {@code scenario}
   * (a known maintenance effect) instead of the demo's own course.
   */
  public static SyntheticStudy generate(long seed, int participantsPerClinic,
      BoosterScenario scenario) {
    return generate(seed, participantsPerClinic, scenario, false);
  }

  /**
   * As {@link #generate(long, int, BoosterScenario)}; with {@code vitals}, each infusion also
   * has blood pressure readings before and after it (the demo study's tolerability view reads
   * them), the other resources unchanged.
   */
  public static SyntheticStudy generate(long seed, int participantsPerClinic,
      BoosterScenario scenario, boolean vitals) {
    if (participantsPerClinic < 1) {
      throw new IllegalArgumentException("participantsPerClinic must be >= 1");
    }
    // Each clinic draws from its own seeded streams, so the clinics are generated side by side
    // (the same resources as one after the other), in ClinicProfile order.
    List<ClinicDataset> clinics = Arrays.stream(ClinicProfile.values()).parallel()
        .map(profile -> ClinicGenerator.generate(profile, seed, participantsPerClinic, scenario,
            vitals))
        .toList();
    return new SyntheticStudy(seed, participantsPerClinic, clinics, summarize(clinics));
  }

  public long seed() {
    return seed;
  }

  public int participantsPerClinic() {
    return participantsPerClinic;
  }

  /** The clinics in {@link ClinicProfile} order. */
  public List<ClinicDataset> clinics() {
    return clinics;
  }

  /** The clinic with this id; throws if there is none. */
  public ClinicDataset clinic(String clinicId) {
    return clinics.stream().filter(c -> c.clinicId().equals(clinicId)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no clinic " + clinicId));
  }

  /** Outcome figures over all clinics, for calibration checks. */
  public CohortSummary summary() {
    return summary;
  }

  private static CohortSummary summarize(List<ClinicDataset> clinics) {
    int participants = 0;
    int eligible = 0;
    int responders = 0;
    int remitters = 0;
    int siBaseline = 0;
    int siResolved = 0;
    int boosters = 0;
    int ptsd = 0;
    List<Long> relapseNoBooster = new ArrayList<>();
    List<Long> relapseBooster = new ArrayList<>();
    for (ClinicDataset clinic : clinics) {
      for (GroundTruth.Participant p : clinic.truth().participants().values()) {
        participants++;
        boosters += p.boosters() ? 1 : 0;
        LocalDate index = p.indexDate();
        GroundTruth.Score baseline = latest(p.scores(Measure.PHQ9), index.minusDays(30), index);
        GroundTruth.Score end = latest(p.scores(Measure.PHQ9), index.plusDays(21),
            index.plusDays(35));
        GroundTruth.Score pcl = latest(p.scores(Measure.PCL5), index.minusDays(30), index);
        if (pcl != null && pcl.total() >= 33) {
          ptsd++;
        }
        if (baseline != null && baseline.total() >= 10 && end != null) {
          eligible++;
          responders += end.total() * 2 <= baseline.total() ? 1 : 0;
          remitters += end.total() < 5 ? 1 : 0;
        }
        if (baseline != null && baseline.item9() != null && baseline.item9() > 0) {
          List<GroundTruth.Score> early = p.scores(Measure.PHQ9).stream()
              .filter(s -> s.item9() != null && !s.date().isBefore(index.plusDays(1))
                  && !s.date().isAfter(index.plusDays(3)))
              .toList();
          if (!early.isEmpty()) {
            siBaseline++;
            siResolved += early.stream().anyMatch(s -> s.item9() == 0) ? 1 : 0;
          }
        }
        if (p.latentRelapseDate() != null) {
          long days = ChronoUnit.DAYS.between(index.plusDays(21), p.latentRelapseDate());
          (p.boosters() ? relapseBooster : relapseNoBooster).add(days);
        }
      }
    }
    return new CohortSummary(participants, eligible, responders, remitters, siBaseline,
        siResolved, boosters, ptsd, median(relapseNoBooster), median(relapseBooster));
  }

  private static GroundTruth.Score latest(List<GroundTruth.Score> scores, LocalDate from,
      LocalDate to) {
    GroundTruth.Score best = null;
    for (GroundTruth.Score s : scores) {
      if (!s.date().isBefore(from) && !s.date().isAfter(to)
          && (best == null || !s.date().isBefore(best.date()))) {
        best = s;
      }
    }
    return best;
  }

  private static double median(List<Long> values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    long[] sorted = values.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
  }
}
