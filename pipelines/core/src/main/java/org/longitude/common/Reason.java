package org.longitude.common;

/**
 * Why a record was filtered or quarantined. Filtered records are dropped by a rule (their
 * count is reported); quarantined records are kept for the clinic's data steward.
 */
public enum Reason {
  // filtered
  STATUS_PRELIMINARY(false),
  STATUS_REGISTERED(false),
  STATUS_CANCELLED(false),
  STATUS_ENTERED_IN_ERROR(false),
  STATUS_UNKNOWN(false),
  STATUS_NOT_COMPLETED(false),
  IGNORED_CODE(false),
  NOT_KETAMINE(false),
  SUPERSEDED_VERSION(false),
  RETRACTED(false),
  DUPLICATE(false),
  MERGED_INTO_TOTAL(false),
  /** A resource of a type only the study's views read (they have read it): no timeline does. */
  VIEW_ONLY(false),
  // quarantined
  MALFORMED_JSON(true),
  /** A line longer than the NDJSON source's limit; skipped unread (file and line are logged). */
  RECORD_TOO_LARGE(true),
  /** A line that is not valid UTF-8; skipped at the source (file and line are logged). */
  INVALID_UTF8(true),
  /** JSON nested deeper than any FHIR resource needs; refused before it is parsed further. */
  JSON_TOO_DEEP(true),
  NOT_A_RESOURCE(true),
  UNEXPECTED_RESOURCE_TYPE(true),
  MISSING_ID(true),
  MISSING_SUBJECT(true),
  SUBJECT_NOT_FOUND(true),
  MISSING_DATE(true),
  INVALID_DATE(true),
  FUTURE_DATE(true),
  DATE_BEFORE_BIRTH(true),
  VALUE_OUT_OF_RANGE(true),
  NON_NUMERIC_VALUE(true),
  MISSING_VALUE(true),
  UNKNOWN_UNIT(true),
  UNKNOWN_ANSWER_CODE(true),
  ITEMS_TOTAL_MISMATCH(true),
  INCOMPLETE_ITEMS(true),
  UNMAPPED_CODE(true);

  private final boolean quarantined;

  Reason(boolean quarantined) {
    this.quarantined = quarantined;
  }

  public boolean quarantined() {
    return quarantined;
  }

  public Outcome outcome() {
    return quarantined ? Outcome.QUARANTINED : Outcome.FILTERED;
  }
}
