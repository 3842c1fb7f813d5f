package org.longitude.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.longitude.config.DeidRules;
import org.longitude.config.StudyLoader;

/** Safe Harbor ages, with the demo study's rules (cap 90). */
class AgesTest {
  private static final DeidRules RULES = StudyLoader.load(StudyLoader.DEMO).deid();
  private final Ages ages = new Ages(RULES);

  @Test
  void demoConfigCapsAtNinety() {
    assertEquals(90, RULES.ageCap());
  }

  @Test
  void ageAtTheNinetyEdge() {
    LocalDate birth = LocalDate.of(1935, 6, 15);
    // 89 years and 364 days: still 89, not capped (birth year is shown).
    assertEquals(89, ages.ageAt(birth, LocalDate.of(2025, 6, 14)));
    assertFalse(ages.isCapped(ages.ageAt(birth, LocalDate.of(2025, 6, 14))));
    // The 90th birthday: 90, capped (birth year withheld).
    assertEquals(90, ages.ageAt(birth, LocalDate.of(2025, 6, 15)));
    assertTrue(ages.isCapped(90));
    // 95: reported as 90.
    assertEquals(90, ages.ageAt(birth, LocalDate.of(2030, 7, 1)));
    assertEquals(90, ages.ageAt(birth, LocalDate.of(2040, 1, 1)));
  }

  @Test
  void ageCountsWholeYearsIncludingLeapDayBirthdays() {
    LocalDate leap = LocalDate.of(1936, 2, 29);
    assertEquals(89, ages.ageAt(leap, LocalDate.of(2026, 2, 27)));
    assertEquals(89, ages.ageAt(leap, LocalDate.of(2026, 2, 28)),
        "Period counts Feb 29 birthdays from Mar 1 in common years");
    assertEquals(90, ages.ageAt(leap, LocalDate.of(2026, 3, 1)));
    assertEquals(40, ages.ageAt(LocalDate.of(1985, 3, 1), LocalDate.of(2025, 3, 1)));
    assertEquals(39, ages.ageAt(LocalDate.of(1985, 3, 1), LocalDate.of(2025, 2, 28)));
    assertEquals(0, ages.ageAt(LocalDate.of(2025, 3, 1), LocalDate.of(2025, 3, 1)));
  }

  @Test
  void unknownOrImpossibleAgesAreNull() {
    assertNull(ages.ageAt(null, LocalDate.of(2025, 1, 1)));
    assertNull(ages.ageAt(LocalDate.of(1980, 1, 1), null));
    assertNull(ages.ageAt(LocalDate.of(2025, 1, 2), LocalDate.of(2025, 1, 1)));
    assertFalse(ages.isCapped(null));
  }

  @Test
  void theCapIsConfigurable() {
    Ages strict = new Ages(new DeidRules(null, null, DeidRules.DateMode.SHIFT, 182,
        85, List.of(), 10));
    assertEquals(85, strict.ageAt(LocalDate.of(1930, 1, 1), LocalDate.of(2025, 1, 1)));
    assertTrue(strict.isCapped(85));
    assertFalse(strict.isCapped(84));
  }

  @Test
  void capIsExactWhenTheShiftCrossesALeapDay() {
    LocalDate trueBirth = LocalDate.of(1934, 2, 28);
    LocalDate trueIndex = LocalDate.of(2024, 2, 28); // exactly 90
    int shift = 1;
    LocalDate birth = trueBirth.plusDays(shift);
    LocalDate index = trueIndex.plusDays(shift);
    LocalDate capDate = trueBirth.plusYears(90).plusDays(shift);
    assertEquals(89, ages.ageAt(birth, index), "shifted dates alone are a day off");
    assertEquals(90, ages.ageAt(birth, index, capDate));
    assertEquals(89, ages.ageAt(birth, index.minusDays(1), capDate));
  }
}
