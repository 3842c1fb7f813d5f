package org.longitude.cohort.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Wilson score interval, worked by hand with z = 1.959964. */
class ProportionTest {

  private static final double Z = CohortRules.defaults().confidenceZ();

  @Test
  void fiftyOfHundred() {
    // centre = (0.5 + z^2/200) / (1 + z^2/100) = 0.5;
    // half = z / 1.0384146 * sqrt(0.0025 + z^2/40000) = 0.0961685.
    Proportion p = Proportion.wilson(50, 100, Z);
    assertEquals(0.5, p.estimate());
    assertEquals(0.4038, p.lower(), 0.00005);
    assertEquals(0.5962, p.upper(), 0.00005);
    assertEquals(0.40383153, p.lower(), 1e-8);
  }

  @Test
  void extremes() {
    // 0/10: upper = z^2 / (n + z^2) = 3.841459 / 13.841459.
    Proportion none = Proportion.wilson(0, 10, Z);
    assertEquals(0, none.lower());
    assertEquals(Z * Z / (10 + Z * Z), none.upper(), 1e-15);
    Proportion all = Proportion.wilson(10, 10, Z);
    assertEquals(10 / (10 + Z * Z), all.lower(), 1e-15);
    assertEquals(1, all.upper());
  }

  @Test
  void emptyDenominator() {
    Proportion p = Proportion.wilson(0, 0, Z);
    assertTrue(Double.isNaN(p.estimate()));
    assertEquals(0, p.lower());
    assertEquals(1, p.upper());
    assertThrows(IllegalArgumentException.class, () -> Proportion.wilson(3, 2, Z));
  }
}
