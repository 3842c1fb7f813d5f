package org.longitude.cohort.rules;

/**
 * A responder's group for the landmark comparison, fixed at the landmark: among those
 * relapse-free and still followed L days after first response, whether maintenance had started by
 * then. Fixing the group at L, and starting the curves there, gives neither group time in which
 * its members could not have relapsed (no immortal time).
 */
public enum LandmarkGroup {
  /** At least one booster after the initial course and at most L days after first response. */
  MAINTENANCE("maintenance"),
  /** No booster by then (one may come later: the group is fixed at L, as randomisation would). */
  NONE("none");

  private final String label;

  LandmarkGroup(String label) {
    this.label = label;
  }

  /** The value written to outputs. */
  public String label() {
    return label;
  }
}
