package org.longitude.common;

import java.util.Locale;

/** Where a record read from a clinic ends up; every record ends in exactly one. */
public enum Outcome {
  READ,
  WRITTEN,
  FILTERED,
  QUARANTINED;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
