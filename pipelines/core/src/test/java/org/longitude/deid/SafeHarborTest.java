package org.longitude.deid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.longitude.config.DeidRules;
import org.longitude.config.StudyLoader;

/** Safe Harbor ZIP codes, with the demo study's rules. */
class SafeHarborTest {
  /** The 17 three-digit ZIP areas with 20,000 people or fewer (HHS guidance, 2000 census). */
  static final List<String> RESTRICTED = List.of("036", "059", "063", "102", "203", "556", "692",
      "790", "821", "823", "830", "831", "878", "879", "884", "890", "893");

  static final DeidRules RULES = StudyLoader.load(StudyLoader.DEMO).deid();
  private final SafeHarbor safeHarbor = new SafeHarbor(RULES);

  @Test
  void demoConfigListsExactlyTheSeventeenRestrictedAreas() {
    assertEquals(RESTRICTED, RULES.restrictedZip3());
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
}
