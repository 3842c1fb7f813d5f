package org.longitude.cohort;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;
import org.longitude.cohort.rules.LandmarkStatus;
import org.longitude.common.SumCombineFn;

/**
 * The cohort accumulators survive their coders with every count, and the combine functions
 * sum in any order without changing their inputs.
 */
class CountsCodersTest {
  private static CurveCounts one(int exitDay, boolean relapse) {
    CurveCounts c = new CurveCounts();
    c.durability.addSubject(exitDay, relapse);
    c.sinceIndex.addSubject(14, exitDay + 14, relapse);
    c.addLandmark(3, relapse ? LandmarkStatus.RELAPSED : LandmarkStatus.RELAPSE_FREE);
    return c;
  }

  private static String describe(StrataCounts s) {
    StringBuilder b = new StringBuilder();
    s.byStratum.forEach((k, c) -> b.append(k).append(c.durability).append(c.sinceIndex)
        .append(c.landmarkStatuses).append(';'));
    return b.toString();
  }

  @Test
  void strataCountsRoundTripAndSumInAnyOrder() throws Exception {
    StrataCounts a = StrataCounts.of(one(200, false), "maintenance", one(200, false));
    StrataCounts b = StrataCounts.of(one(40, true), null, null);
    StrataCounts c = StrataCounts.of(one(200, false), "none", one(200, false));
    String aBefore = describe(a);

    SumCombineFn<StrataCounts> fn = StrataCounts.sum();
    StrataCounts forward = fn.apply(List.of(a, b, c));
    StrataCounts merged = fn.mergeAccumulators(List.of(
        fn.addInput(fn.createAccumulator(), c),
        fn.addInput(fn.addInput(fn.createAccumulator(), b), a)));
    assertEquals(describe(forward), describe(merged));
    assertEquals(aBefore, describe(a), "an input was changed by the combine");
    assertEquals(3L, forward.byStratum.get(StrataCounts.ALL).durability.snapshot()
        .values().stream().mapToLong(x -> x.exits()).sum());

    StrataCounts decoded = CoderUtils.clone(CountsCoders.StrataCountsCoder.INSTANCE, forward);
    assertEquals(describe(forward), describe(decoded));
    byte[] once = CoderUtils.encodeToByteArray(CountsCoders.StrataCountsCoder.INSTANCE, forward);
    byte[] twice = CoderUtils.encodeToByteArray(CountsCoders.StrataCountsCoder.INSTANCE, decoded);
    assertEquals(java.util.Arrays.toString(once), java.util.Arrays.toString(twice));
    CoderProperties.coderSerializable(CountsCoders.StrataCountsCoder.INSTANCE);
  }

  @Test
  void talliesRoundTripAndSum() throws Exception {
    SumCombineFn<Tally> fn = Tally.sum();
    Tally sum = fn.apply(List.of(new Tally().add("eligible", true).add("responder", false),
        new Tally().add("eligible", true).add("responder", true)));
    assertEquals(2L, sum.get("eligible"));
    assertEquals(1L, sum.get("responder"));
    Tally decoded = CoderUtils.clone(CountsCoders.TallyCoder.INSTANCE, sum);
    assertEquals(sum.counts, decoded.counts);
  }
}
