package org.longitude.normalize;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.List;
import org.longitude.common.Ledger;
import org.longitude.common.RecordVersion;

/**
 * What normalization keeps of a resource: only the fields the research tables are built from.
 * Restricted zone: ids are the clinic's, dates are true dates.
 */
public sealed interface Fact extends Serializable {
  String clinic();

  /** The source Patient id this fact belongs to. */
  String patientId();

  String resourceType();

  /**
   * What a fact shows of itself: its kind and clinic only. Facts carry source ids and true
   * dates, and runners log elements (Beam's DirectRunner at debug level).
   */
  static String redacted(Fact fact) {
    return fact.getClass().getSimpleName() + "[clinic=" + fact.clinic() + ", restricted]";
  }

  /** A Patient's demographics. */
  record PatientFact(String clinic, String patientId, RecordVersion version, String gender,
      LocalDate birthDate, String postalCode) implements Fact {
    @Override
    public String toString() {
      return redacted(this);
    }

    @Override
    public String resourceType() {
      return "Patient";
    }
  }

  /**
   * A questionnaire result: a total, item answers, or both. {@code items} has one slot per
   * catalogue item (null where not sent); empty when the measure lists no items.
   * {@code members} are the source ids of Observations its {@code hasMember} names (a panel
   * whose items arrive apart); empty otherwise.
   */
  record ScoreFact(String clinic, String patientId, String recordId, RecordVersion version,
      String measure, String sourceSystem, String sourceCode, Integer total,
      List<Integer> items, LocalDate date, List<String> members) implements Fact {
    public ScoreFact(String clinic, String patientId, String recordId, RecordVersion version,
        String measure, String sourceSystem, String sourceCode, Integer total,
        List<Integer> items, LocalDate date) {
      this(clinic, patientId, recordId, version, measure, sourceSystem, sourceCode, total,
          items, date, List.of());
    }

    @Override
    public String toString() {
      return redacted(this);
    }

    @Override
    public String resourceType() {
      return "Observation";
    }

    public boolean itemsOnly() {
      return total == null;
    }
  }

  /** A ketamine treatment: a MedicationAdministration, or a Procedure the clinic maps. */
  record AdministrationFact(String clinic, String patientId, String recordId, RecordVersion version,
      String system, String code, LocalDate date, String resourceType) implements Fact {
    @Override
    public String toString() {
      return redacted(this);
    }
  }

  /** A diagnosis (Condition) code, used to narrow cohorts. */
  record DiagnosisFact(String clinic, String patientId, String recordId, RecordVersion version,
      List<String> codes) implements Fact {
    @Override
    public String toString() {
      return redacted(this);
    }

    @Override
    public String resourceType() {
      return "Condition";
    }
  }

  /** A newer version saying the record was entered in error: it removes older versions. */
  record RetractionFact(String clinic, String patientId, String resourceType, String recordId,
      RecordVersion version) implements Fact {
    @Override
    public String toString() {
      return redacted(this);
    }
  }

  /**
   * No record: the {@link Ledger} of a bundle of the normalize step (with the pull's before
   * it), handed on with the facts once per bundle; a second output would cost more than the
   * ledger (see {@link org.longitude.extract.RawResource}).
   */
  record LedgerFact(Ledger ledger) implements Fact {
    @Override
    public String clinic() {
      return null;
    }

    @Override
    public String patientId() {
      return null;
    }

    @Override
    public String resourceType() {
      return null;
    }

    @Override
    public String toString() {
      return "LedgerFact";
    }
  }
}
