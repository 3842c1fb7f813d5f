package org.longitude.deid;

import java.util.Set;
import org.longitude.config.DeidRules;

/**
 * HIPAA Safe Harbor ZIP codes, cut where the address is read so that a full ZIP never enters a
 * timeline. Ages are generalised where research rows are built ({@code release.Ages}).
 */
public final class SafeHarbor {
  private final Set<String> restrictedZip3;

  public SafeHarbor(DeidRules rules) {
    this.restrictedZip3 = Set.copyOf(rules.restrictedZip3());
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
}
