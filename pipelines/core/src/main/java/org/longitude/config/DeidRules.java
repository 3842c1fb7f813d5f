package org.longitude.config;

import java.io.Serializable;
import java.util.List;

/**
 * De-identification rules ({@code deidentification.yaml}).
 *
 * @param keyEnv environment variable holding the base64 study key
 * @param keyFile owner-only file holding the study key (relative to the config file)
 * @param dateMode SHIFT keeps shifted full dates; YEAR_ONLY keeps years only (Safe Harbor)
 * @param maxShiftDays per-participant shifts are drawn from [-max, +max]
 * @param ageCap ages at or above are reported as this value, with birth year withheld
 * @param restrictedZip3 ZIP3 areas with fewer than 20,000 people, reported as "000"
 * @param smallCellMax aggregate counts from 1 to this value are suppressed
 */
public record DeidRules(
    String keyEnv,
    String keyFile,
    DateMode dateMode,
    int maxShiftDays,
    int ageCap,
    List<String> restrictedZip3,
    int smallCellMax) implements Serializable {

  /** How dates leave the restricted zone. */
  public enum DateMode {
    SHIFT,
    YEAR_ONLY;

    @com.fasterxml.jackson.annotation.JsonCreator
    public static DateMode parse(String text) {
      return valueOf(text.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
    }
  }
}
