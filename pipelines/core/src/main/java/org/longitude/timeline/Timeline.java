package org.longitude.timeline;

import java.io.Serializable;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Everything kept about one participant, de-identified, in day order.
 *
 * @param ageCapDate shifted day the participant reaches the age cap (see Demographics)
 * @param indexDate shifted day of the first ketamine administration; null without one
 */
public record Timeline(
    String participantId,
    String clinic,
    String sex,
    LocalDate birthDate,
    LocalDate ageCapDate,
    String zip3,
    LocalDate indexDate,
    List<Treatment> treatments,
    List<Score> scores,
    List<String> diagnosisCodes) implements Serializable {

  /** One ketamine administration. */
  public record Treatment(String recordId, String system, String code, LocalDate date,
      Integer daysSinceIndex, boolean booster, int sequence) implements Serializable {}

  /** One kept score. {@code items} is empty when no item answers were sent. */
  public record Score(String recordId, String version, String measure, String sourceSystem,
      String sourceCode, int score, List<Integer> items, LocalDate date, Integer daysSinceIndex)
      implements Serializable {}

  public int boosters() {
    return (int) treatments.stream().filter(Treatment::booster).count();
  }

  /** Days since index of a shifted date; null without an index. */
  static Integer daysSince(LocalDate index, LocalDate date) {
    return index == null || date == null ? null : (int) ChronoUnit.DAYS.between(index, date);
  }
}
