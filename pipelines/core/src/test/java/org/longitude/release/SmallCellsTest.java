package org.longitude.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Small-cell suppression: 1..max withheld (null, never 0); 0 and above max shown. */
class SmallCellsTest {

  @Test
  void countsFromOneToTenAreWithheldByDefault() {
    SmallCells cells = new SmallCells(10);
    assertEquals(0L, cells.show(0), "a true zero reveals no one and is shown");
    assertFalse(cells.isSmall(0));
    for (long n = 1; n <= 10; n++) {
      assertTrue(cells.isSmall(n), "small: " + n);
      assertNull(cells.show(n), "withheld as null, not 0: " + n);
    }
    assertEquals(11L, cells.show(11));
    assertFalse(cells.isSmall(11));
    assertEquals(12345L, cells.show(12345));
  }

  @Test
  void theThresholdIsConfigurable() {
    SmallCells five = new SmallCells(5);
    assertNull(five.show(5));
    assertEquals(6L, five.show(6));
    SmallCells none = new SmallCells(0);
    assertEquals(1L, none.show(1), "threshold 0 suppresses nothing");
    assertFalse(none.isSmall(1));
  }
}
