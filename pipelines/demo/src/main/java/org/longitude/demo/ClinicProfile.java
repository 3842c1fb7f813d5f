package org.longitude.demo;

import java.time.ZoneOffset;

/**
 * The three demo clinics and their coding quirks. Each clinic has its own participants; the
 * quirks are what a normalizing pipeline has to cope with.
 *
 * <ul>
 *   <li>{@link #NORTH}: LOINC totals as valueInteger (PHQ-9 44261-6 with an item-9 component
 *       44260-8, GAD-7 70274-6, PCL-5 101698-9); ketamine as RxNorm 6130.
 *   <li>{@link #HARBOR}: local codes PHQ9 / GAD7 / PCL5 / PHQ9-Q9 in {@value
 *       #HARBOR_ASSESSMENTS}, totals as valueQuantity (unit {score}, sometimes no unit), item 9
 *       as a separate Observation, sometimes effectivePeriod; ketamine as local KETAMINE-IV.
 *   <li>{@link #SUMMIT}: PHQ-9 only as the 44249-1 panel with nine item components answered by
 *       LOINC LA codes (no total); GAD-7 total under the panel code 69737-5; PCL-5 total as a
 *       numeric valueString; ketamine as RxNorm 6130.
 * </ul>
 */
public enum ClinicProfile {
  NORTH("north", ZoneOffset.ofHours(-5)),
  HARBOR("harbor", ZoneOffset.ofHours(-8)),
  SUMMIT("summit", ZoneOffset.ofHours(-7));

  /** Harbor's local code system for questionnaire totals and the PHQ-9 item 9. */
  public static final String HARBOR_ASSESSMENTS =
      "http://harbor.example.org/fhir/CodeSystem/assessments";
  /** Harbor's local code system for medications. */
  public static final String HARBOR_MEDICATIONS =
      "http://harbor.example.org/fhir/CodeSystem/medications";

  private final String id;
  private final ZoneOffset offset;

  ClinicProfile(String id, ZoneOffset offset) {
    this.id = id;
    this.offset = offset;
  }

  /** The clinic id ("north", "harbor", "summit"). */
  public String id() {
    return id;
  }

  /** The UTC offset the clinic writes its effective date-times in. */
  public ZoneOffset offset() {
    return offset;
  }
}
