package org.longitude.deid;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.longitude.common.Ledger;
import org.longitude.common.RecordVersion;

/**
 * A de-identified fact about one participant: pseudonymous ids, shifted dates, codes and
 * numbers only. Grouped by participant pseudonym downstream.
 */
public sealed interface ParticipantEvent extends Serializable {
  /**
   * Where a bundle's {@link Ledger} goes instead of a participant's pseudonym: a fresh key per
   * ledger (pseudonyms are hex, so none begins so), spread over the workers like participants.
   */
  static String ledgerKey() {
    return LedgerEvent.KEY_PREFIX + UUID.randomUUID();
  }

  static boolean isLedgerKey(String key) {
    return key.startsWith(LedgerEvent.KEY_PREFIX);
  }

  String clinic();

  String resourceType();

  RecordVersion version();

  /**
   * Demographics; the birth date is shifted and never leaves as a date. {@code ageCapDate} is
   * the shifted day the participant reaches the age cap, taken from the true birth date: ages
   * from shifted dates can be a day off across 29 February, the cap never is.
   */
  record Demographics(String clinic, RecordVersion version, String sex, LocalDate birthDate,
      LocalDate ageCapDate, String zip3) implements ParticipantEvent {
    @Override
    public String resourceType() {
      return "Patient";
    }
  }

  /**
   * A score, a set of item answers, or both. {@code members}: pseudonymous record ids of the
   * Observations a panel names in {@code hasMember} (empty for other scores).
   */
  record Score(String clinic, String recordId, RecordVersion version, String measure,
      String sourceSystem, String sourceCode, Integer total, List<Integer> items, LocalDate date,
      List<String> members) implements ParticipantEvent {
    public Score(String clinic, String recordId, RecordVersion version, String measure,
        String sourceSystem, String sourceCode, Integer total, List<Integer> items,
        LocalDate date) {
      this(clinic, recordId, version, measure, sourceSystem, sourceCode, total, items, date,
          List.of());
    }

    @Override
    public String resourceType() {
      return "Observation";
    }
  }

  /** A ketamine administration. */
  record Administration(String clinic, String recordId, RecordVersion version, String system,
      String code, LocalDate date, String resourceType) implements ParticipantEvent {}

  /** Diagnosis codes ({@code system|code}). */
  record Diagnosis(String clinic, String recordId, RecordVersion version, List<String> codes)
      implements ParticipantEvent {
    @Override
    public String resourceType() {
      return "Condition";
    }
  }

  /** A later entered-in-error version of a record: older versions are removed. */
  record Retraction(String clinic, String resourceType, String recordId, RecordVersion version)
      implements ParticipantEvent {}

  /**
   * No participant's: the {@link Ledger} of a bundle of the de-identify step (the pull's and
   * the normalize step's before it), handed on under a {@link #ledgerKey} to the step that
   * resolves timelines; a second output would cost more than the ledger (see
   * {@link org.longitude.extract.RawResource}).
   */
  record LedgerEvent(Ledger ledger) implements ParticipantEvent {
    static final String KEY_PREFIX = "~ledger-";

    @Override
    public String clinic() {
      return null;
    }

    @Override
    public String resourceType() {
      return null;
    }

    @Override
    public RecordVersion version() {
      return null;
    }
  }
}
