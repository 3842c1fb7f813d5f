package org.longitude.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Small cells and their complements across sums, with worked examples. */
class LinkedCellsTest {
  private static final SmallCells TEN = new SmallCells(10);

  @Test
  void nothingSmallNothingWithheld() {
    LinkedCells<String> cells = new LinkedCells<String>(TEN)
        .cell("read", 100).cell("written", 60).cell("filtered", 40)
        .sum("read", List.of("written", "filtered"));
    assertEquals(Set.of(), cells.withheld());
  }

  @Test
  void oneSmallPartTakesTheSmallestOtherPartAlong() {
    // read 200 = written 180 + filtered 12 + quarantined 8: with 8 alone withheld,
    // 200 - 180 - 12 gives it back; 12 is the smallest shown part, and 8 + 12 = 20 is not small.
    LinkedCells<String> cells = new LinkedCells<String>(TEN)
        .cell("read", 200).cell("written", 180).cell("filtered", 12).cell("quarantined", 8)
        .sum("read", List.of("written", "filtered", "quarantined"));
    assertEquals(Set.of("quarantined", "filtered"), cells.withheld());
  }

  @Test
  void withheldPartsMustNotAddUpToASmallCell() {
    // 6 + 4 = 10 would be known from 100 - 90: the written count goes too.
    LinkedCells<String> cells = new LinkedCells<String>(TEN)
        .cell("read", 100).cell("written", 90).cell("filtered", 6).cell("quarantined", 4)
        .sum("read", List.of("written", "filtered", "quarantined"));
    assertEquals(Set.of("written", "filtered", "quarantined"), cells.withheld());
  }

  @Test
  void aSmallTotalWithholdsItsParts() {
    // a clinic with 7 patients: read 7 = written 7; both withheld
    LinkedCells<String> cells = new LinkedCells<String>(TEN)
        .cell("read", 7).cell("written", 7).sum("read", List.of("written"));
    assertEquals(Set.of("read", "written"), cells.withheld());
  }

  @Test
  void aTotalWithASingleShownPartIsWithheldWithIt() {
    // written 5 withheld, filtered 0 shown: read would give it back, so read goes
    LinkedCells<String> cells = new LinkedCells<String>(TEN)
        .cell("read", 5).cell("written", 5).cell("filtered", 0)
        .sum("read", List.of("written", "filtered"));
    assertEquals(Set.of("read", "written"), cells.withheld());
  }

  @Test
  void aComplementInOneSumIsProtectedInTheNext() {
    // quarantined 30 (run_summary) = PHQ9 27 + GAD7 3 (quarantine table). GAD7 3 withheld
    // takes PHQ9 27 along; nothing in the first sum is small, so it is left alone.
    LinkedCells<String> cells = new LinkedCells<String>(TEN)
        .cell("read", 300).cell("written", 270).cell("quarantined", 30)
        .cell("q.PHQ9", 27).cell("q.GAD7", 3)
        .sum("read", List.of("written", "quarantined"))
        .sum("quarantined", List.of("q.PHQ9", "q.GAD7"));
    assertEquals(Set.of("q.PHQ9", "q.GAD7"), cells.withheld());

    // Now quarantined is 8, withheld itself: written goes in the first sum (else
    // 300 - 292 gives it back) and both measures in the second.
    LinkedCells<String> small = new LinkedCells<String>(TEN)
        .cell("read", 300).cell("written", 292).cell("quarantined", 8)
        .cell("q.PHQ9", 5).cell("q.GAD7", 3)
        .sum("read", List.of("written", "quarantined"))
        .sum("quarantined", List.of("q.PHQ9", "q.GAD7"));
    assertEquals(Set.of("written", "quarantined", "q.PHQ9", "q.GAD7"), small.withheld());
  }

  @Test
  void thresholdZeroWithholdsNothing() {
    LinkedCells<String> cells = new LinkedCells<String>(new SmallCells(0))
        .cell("read", 7).cell("written", 7).sum("read", List.of("written"));
    assertEquals(Set.of(), cells.withheld());
  }

  @Test
  void aSumOverAWithheldCellIsWithheld() {
    assertEquals(30L, LinkedCells.sum(List.of(10L, 20L)));
    assertNull(LinkedCells.sum(Arrays.asList(10L, null)));
    assertEquals(0L, LinkedCells.sum(List.of()));
  }

  @Test
  void sumsNameOnlyKnownCells() {
    LinkedCells<String> cells = new LinkedCells<String>(TEN).cell("read", 1);
    assertThrows(IllegalArgumentException.class, () -> cells.sum("read", List.of("nope")));
  }
}
