package org.longitude.deid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.longitude.config.DeidRules;
import org.longitude.config.StudyLoader;

/** Safe Harbor ages and ZIP codes, with the demo study's rules. */
class SafeHarborTest {
  /** The 17 three-digit ZIP areas with 20,000 people or fewer (HHS guidance, 2000 census). */
  static final List<String> RESTRICTED = List.of("036", "059", "063", "102", "203", "556", "692",
      "790", "821", "823", "830", "831", "878", "879", "884", "890", "893");

  static final DeidRules RULES = StudyLoader.load(StudyLoader.DEMO).deid();
  private final SafeHarbor safeHarbor = new SafeHarbor(RULES);

  @Test
  void demoConfigListsExactlyTheSeventeenRestrictedAreas() {
    assertEquals(RESTRICTED, RULES.restrictedZip3());
    assertEquals(90, RULES.ageCap());
  }

  @Test
  void everyRestrictedZip3BecomesZeroes() {
    for (String zip3 : RESTRICTED) {
      assertEquals("000", safeHarbor.zip3(zip3 + "01"), zip3);
      assertEquals("000", safeHarbor.zip3(zip3 + "99-1234"), zip3 + " ZIP+4");
    }
  }

  @Test
  void otherZipsKeepTheirFirstThreeDigits() {
    assertEquals("627", safeHarbor.zip3("62701"));
    assertEquals("016", safeHarbor.zip3("01608"), "leading zero kept");
    assertEquals("972", safeHarbor.zip3("97201-4321"), "ZIP+4");
    assertEquals("972", safeHarbor.zip3(" 97201 "), "surrounding blanks");
    // Neighbours of restricted areas are not restricted.
    assertEquals("035", safeHarbor.zip3("03501"));
    assertEquals("037", safeHarbor.zip3("03701"));
  }

  @Test
  void postalCodesThatAreNotUsZipsAreDropped() {
    for (String code : new String[] {"SW1A 1AA", "K1A 0B1", "1011", "123456", "9720", "97201-12",
        "97201 4321", "ABCDE", "", "CANARY-ZIP-0001"}) {
      assertNull(safeHarbor.zip3(code), code);
    }
    assertNull(safeHarbor.zip3(null));
  }

  @Test
  void ageAtTheNinetyEdge() {
    LocalDate birth = LocalDate.of(1935, 6, 15);
    // 89 years and 364 days: still 89, not capped (birth year is shown).
    assertEquals(89, safeHarbor.ageAt(birth, LocalDate.of(2025, 6, 14)));
    assertFalse(safeHarbor.isCapped(safeHarbor.ageAt(birth, LocalDate.of(2025, 6, 14))));
    // The 90th birthday: 90, capped (birth year withheld).
    assertEquals(90, safeHarbor.ageAt(birth, LocalDate.of(2025, 6, 15)));
    assertTrue(safeHarbor.isCapped(90));
    // 95: reported as 90.
    assertEquals(90, safeHarbor.ageAt(birth, LocalDate.of(2030, 7, 1)));
    assertEquals(90, safeHarbor.ageAt(birth, LocalDate.of(2040, 1, 1)));
  }

  @Test
  void ageCountsWholeYearsIncludingLeapDayBirthdays() {
    LocalDate leap = LocalDate.of(1936, 2, 29);
    assertEquals(89, safeHarbor.ageAt(leap, LocalDate.of(2026, 2, 27)));
    assertEquals(89, safeHarbor.ageAt(leap, LocalDate.of(2026, 2, 28)),
        "Period counts Feb 29 birthdays from Mar 1 in common years");
    assertEquals(90, safeHarbor.ageAt(leap, LocalDate.of(2026, 3, 1)));
    assertEquals(40, safeHarbor.ageAt(LocalDate.of(1985, 3, 1), LocalDate.of(2025, 3, 1)));
    assertEquals(39, safeHarbor.ageAt(LocalDate.of(1985, 3, 1), LocalDate.of(2025, 2, 28)));
    assertEquals(0, safeHarbor.ageAt(LocalDate.of(2025, 3, 1), LocalDate.of(2025, 3, 1)));
  }

  @Test
  void unknownOrImpossibleAgesAreNull() {
    assertNull(safeHarbor.ageAt(null, LocalDate.of(2025, 1, 1)));
    assertNull(safeHarbor.ageAt(LocalDate.of(1980, 1, 1), null));
    assertNull(safeHarbor.ageAt(LocalDate.of(2025, 1, 2), LocalDate.of(2025, 1, 1)));
    assertFalse(safeHarbor.isCapped(null));
  }

  @Test
  void theCapIsConfigurable() {
    SafeHarbor strict = new SafeHarbor(new DeidRules(null, null, DeidRules.DateMode.SHIFT, 182,
        85, RESTRICTED, 10));
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
    assertEquals(89, safeHarbor.ageAt(birth, index), "shifted dates alone are a day off");
    assertEquals(90, safeHarbor.ageAt(birth, index, capDate));
    assertEquals(89, safeHarbor.ageAt(birth, index.minusDays(1), capDate));
  }
}
