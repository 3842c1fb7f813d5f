package org.longitude.demo;

/**
 * The generator's own outcome summary over all clinics, computed from the clean ground-truth
 * scores with the study definitions a pipeline is expected to use:
 *
 * <ul>
 *   <li>baseline = latest PHQ-9 dated index-30..index; depression-eligible = baseline >= 10 and
 *       a PHQ-9 dated index+21..index+35 (end of course, the latest one counts);
 *   <li>response = end score <= 50% of baseline; remission = end score < 5;
 *   <li>SI resolution = among participants with baseline item 9 > 0 and a PHQ-9 dated
 *       index+1..index+3, those with item 9 = 0 on one of these;
 *   <li>relapse medians use the latent (uncensored) relapse onset of end-of-course responders,
 *       in days after index+21, split by whether the participant received boosters.
 * </ul>
 */
public record CohortSummary(
    int participants,
    int depressionEligible,
    int responders,
    int remitters,
    int siAtBaseline,
    int siResolvedByDay3,
    int boosterParticipants,
    int ptsdParticipants,
    double medianRelapseDaysWithoutBoosters,
    double medianRelapseDaysWithBoosters) {

  public double responseRate() {
    return ratio(responders, depressionEligible);
  }

  public double remissionRate() {
    return ratio(remitters, depressionEligible);
  }

  public double siResolutionRate() {
    return ratio(siResolvedByDay3, siAtBaseline);
  }

  public double boosterFraction() {
    return ratio(boosterParticipants, participants);
  }

  public double ptsdFraction() {
    return ratio(ptsdParticipants, participants);
  }

  private static double ratio(int numerator, int denominator) {
    return denominator == 0 ? Double.NaN : (double) numerator / denominator;
  }
}
