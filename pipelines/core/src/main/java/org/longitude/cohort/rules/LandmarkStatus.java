package org.longitude.cohort.rules;

/** An eligible participant's state at a landmark day L. */
public enum LandmarkStatus {
  /** Responded on or before L, no relapse on or before L, last score on or after L. */
  RELAPSE_FREE,
  /** Relapse on or before L. */
  RELAPSED,
  /** Responded on or before L, no relapse, but last score before L (censored). */
  LOST,
  /** Responded, but only after L. */
  NOT_YET_RESPONDED,
  /** Never responded during follow-up. */
  NOT_RESPONDER
}
