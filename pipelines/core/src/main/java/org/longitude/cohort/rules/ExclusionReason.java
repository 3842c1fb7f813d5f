package org.longitude.cohort.rules;

/** Why a participant is excluded from a measure's analysis; checked in this order. */
public enum ExclusionReason {
  /** No ketamine administration, so no index date. */
  NO_INDEX,
  /** No score in the baseline window. */
  NO_BASELINE,
  /** Baseline below the measure's eligibility threshold. */
  BELOW_THRESHOLD,
  /** No score on or after the first follow-up day. */
  NO_FOLLOW_UP
}
