package org.longitude.release;

import java.io.Serializable;
import java.time.LocalDate;
import java.time.Period;
import org.longitude.config.DeidRules;

/**
 * HIPAA Safe Harbor ages: whole years, capped (90 stands for 90 and over), and the birth year
 * withheld for a capped age. ZIP codes are cut where the address is read ({@code
 * deid.SafeHarbor}), so a full ZIP never reaches a timeline.
 */
public final class Ages implements Serializable {
  private final int cap;

  public Ages(DeidRules rules) {
    this.cap = rules.ageCap();
  }

  /** Whole years from birth to the day, capped. */
  public Integer ageAt(LocalDate birth, LocalDate day) {
    if (birth == null || day == null || day.isBefore(birth)) {
      return null;
    }
    return Math.min(Period.between(birth, day).getYears(), cap);
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
    return day.isBefore(capDate) ? Math.min(age, cap - 1) : cap;
  }

  public boolean isCapped(Integer age) {
    return age != null && age >= cap;
  }

  /** The birth year a research row may show: none when unknown or when the age is capped. */
  Integer birthYear(LocalDate birth, Integer age) {
    return birth == null || isCapped(age) ? null : birth.getYear();
  }
}
