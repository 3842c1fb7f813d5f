package org.longitude.demo;

import java.time.LocalDate;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What a correct pipeline should end up with for one clinic: per participant (keyed by the
 * source Patient id) the index date, the infusions and the clean scores per measure, plus every
 * dirty record the generator seeded.
 *
 * <p>Clean scores exclude all dirty records, keep exactly one of each duplicate pair (the one
 * whose id is given) and carry the amended (current) value of amended records. Dates are local
 * calendar dates in the clinic's offset ({@link ClinicProfile#offset()}).
 */
public final class GroundTruth {

  /** One ketamine infusion; {@code booster} is false for the six-infusion initial course. */
  public record Infusion(LocalDate date, boolean booster, String medicationAdministrationId) {}

  /**
   * One clean score. {@code item9} is the PHQ-9 item 9 value where the source carries it, else
   * null (always null for GAD-7 and PCL-5). {@code observationId} is the Observation holding the
   * total (for summit PHQ-9: the panel).
   */
  public record Score(LocalDate date, int total, Integer item9, String observationId) {}

  /**
   * One participant. {@code latentRelapseDate} is the simulated relapse onset of an
   * end-of-course responder (null otherwise); it may lie after the end of follow-up, in which
   * case no score shows it.
   */
  public record Participant(
      String patientId,
      LocalDate indexDate,
      List<Infusion> infusions,
      Map<Measure, List<Score>> scores,
      boolean boosters,
      LocalDate latentRelapseDate) {

    /** Clean scores of one measure in date order (empty if none). */
    public List<Score> scores(Measure measure) {
      return scores.getOrDefault(measure, List.of());
    }
  }

  /**
   * One seeded dirty record. {@code patientId} is the participant it was derived from (for
   * {@link DirtKind#DANGLING_SUBJECT} the record itself points elsewhere).
   */
  public record DirtyRecord(DirtKind kind, String observationId, String patientId, Measure measure) {}

  private final String clinicId;
  private final Map<String, Participant> participants;
  private final List<DirtyRecord> dirtyRecords;

  GroundTruth(String clinicId, Map<String, Participant> participants, List<DirtyRecord> dirty) {
    this.clinicId = clinicId;
    this.participants = Collections.unmodifiableMap(participants);
    this.dirtyRecords = List.copyOf(dirty);
  }

  public String clinicId() {
    return clinicId;
  }

  /** Participants by source Patient id, in generation order. */
  public Map<String, Participant> participants() {
    return participants;
  }

  public Participant participant(String patientId) {
    return participants.get(patientId);
  }

  /** Every dirty record, in generation order. */
  public List<DirtyRecord> dirtyRecords() {
    return dirtyRecords;
  }

  /** How many records of each kind were seeded (every kind present, possibly 0). */
  public Map<DirtKind, Integer> dirtCounts() {
    Map<DirtKind, Integer> counts = new EnumMap<>(DirtKind.class);
    for (DirtKind kind : DirtKind.values()) {
      counts.put(kind, 0);
    }
    for (DirtyRecord record : dirtyRecords) {
      counts.merge(record.kind(), 1, Integer::sum);
    }
    return counts;
  }

  /** Total number of clean scores of one measure over all participants. */
  public int cleanScoreCount(Measure measure) {
    return participants.values().stream().mapToInt(p -> p.scores(measure).size()).sum();
  }
}
