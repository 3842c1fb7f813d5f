package org.longitude.demo;

/**
 * Kinds of deliberate dirt the generator seeds into Observations. Apart from {@link #AMENDED}
 * (where the current version holds the truth), every dirty record must be dropped by a
 * correct pipeline.
 */
public enum DirtKind {
  /** Same participant, measure, day and score as a clean record, under another resource id. */
  DUPLICATE,
  /** Version 1 had a wrong value; the current version 2 has status amended and the truth. */
  AMENDED,
  /** An extra record whose current version has status entered-in-error. */
  ENTERED_IN_ERROR,
  /** An extra record with status preliminary. */
  PRELIMINARY,
  /** An extra record whose score is above the measure's maximum (e.g. PHQ-9 = 35). */
  OUT_OF_RANGE,
  /** An extra record without any effective[x]. */
  MISSING_DATE,
  /** An extra record whose subject is a Patient the server does not have. */
  DANGLING_SUBJECT,
  /** An extra record dated after the reference date 2026-06-30. */
  FUTURE_DATE
}
