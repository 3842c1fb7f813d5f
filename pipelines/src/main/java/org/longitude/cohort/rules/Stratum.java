package org.longitude.cohort.rules;

/** Treatment stratum: whether the participant received boosters after the initial course. */
public enum Stratum {
  /** At least one administration after the initial course. */
  MAINTENANCE("maintenance"),
  /** Initial course only. */
  NONE("none");

  private final String label;

  Stratum(String label) {
    this.label = label;
  }

  /** The value written to outputs ({@code maintenance} or {@code none}). */
  public String label() {
    return label;
  }
}
