package org.longitude.deid;

import java.time.LocalDate;
import java.time.Period;
import java.util.Set;
import org.longitude.config.DeidRules;

/** HIPAA Safe Harbor generalisations of ages and ZIP codes. */
public final class SafeHarbor {
  private final Set<String> restrictedZip3;
  private final int ageCap;

  public SafeHarbor(DeidRules rules) {
    this.restrictedZip3 = Set.copyOf(rules.restrictedZip3());
    this.ageCap = rules.ageCap();
  }

  /** The first three digits of a US ZIP, "000" for restricted areas, null when not a ZIP. */
  public String zip3(String postalCode) {
    if (postalCode == null) {
      return null;
    }
    String digits = postalCode.trim();
    if (!digits.matches("\\d{5}(-\\d{4})?")) {
      return null;
    }
    String zip3 = digits.substring(0, 3);
    return restrictedZip3.contains(zip3) ? "000" : zip3;
  }

  /** Whole years from birth to the day, capped (90 stands for 90 and over). */
  public Integer ageAt(LocalDate birth, LocalDate day) {
    if (birth == null || day == null || day.isBefore(birth)) {
      return null;
    }
    return Math.min(Period.between(birth, day).getYears(), ageCap);
  }

  /**
   * Age on {@code day}, capped exactly: at the cap from {@code capDate} (the day the cap is
   * reached, computed from the true birth date) on, and below it before.
   */
  public Integer ageAt(LocalDate birth, LocalDate day, LocalDate capDate) {
    Integer age = ageAt(birth, day);
    if (age == null || capDate == null) {
      return age;
    }
    return day.isBefore(capDate) ? Math.min(age, ageCap - 1) : ageCap;
  }

  public boolean isCapped(Integer age) {
    return age != null && age >= ageCap;
  }
}
