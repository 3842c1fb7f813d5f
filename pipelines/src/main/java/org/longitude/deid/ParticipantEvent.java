package org.longitude.deid;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.List;

/**
 * A de-identified fact about one participant: pseudonymous ids, shifted dates, codes and
 * numbers only. Grouped by participant pseudonym downstream.
 */
public sealed interface ParticipantEvent extends Serializable {
  String clinic();

  String resourceType();

  Version version();

  /** Version order of one record; lastUpdated is shifted like every other date. */
  record Version(long number, String text, long lastUpdatedMillis)
      implements Serializable, Comparable<Version> {
    @Override
    public int compareTo(Version o) {
      int c = Long.compare(number, o.number);
      if (c == 0) {
        c = text.compareTo(o.text);
      }
      return c != 0 ? c : Long.compare(lastUpdatedMillis, o.lastUpdatedMillis);
    }
  }

  /** Demographics; the birth date is shifted and never leaves as a date. */
  record Demographics(String clinic, Version version, String sex, LocalDate birthDate,
      String zip3) implements ParticipantEvent {
    @Override
    public String resourceType() {
      return "Patient";
    }
  }

  /** A score, a set of item answers, or both. */
  record Score(String clinic, String recordId, Version version, String measure,
      String sourceSystem, String sourceCode, Integer total, List<Integer> items, LocalDate date)
      implements ParticipantEvent {
    @Override
    public String resourceType() {
      return "Observation";
    }
  }

  /** A ketamine administration. */
  record Administration(String clinic, String recordId, Version version, String system,
      String code, LocalDate date) implements ParticipantEvent {
    @Override
    public String resourceType() {
      return "MedicationAdministration";
    }
  }

  /** Diagnosis codes ({@code system|code}). */
  record Diagnosis(String clinic, String recordId, Version version, List<String> codes)
      implements ParticipantEvent {
    @Override
    public String resourceType() {
      return "Condition";
    }
  }

  /** A later entered-in-error version of a record: older versions are removed. */
  record Retraction(String clinic, String resourceType, String recordId, Version version)
      implements ParticipantEvent {}
}
