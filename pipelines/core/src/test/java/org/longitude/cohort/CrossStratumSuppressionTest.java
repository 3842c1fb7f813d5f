package org.longitude.cohort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.longitude.cohort.rules.LandmarkStatus;
import org.longitude.common.SumCombineFn;
import org.longitude.config.StudyLoader;
import org.longitude.release.SmallCells;

/**
 * From the landmark on, {@code all} = {@code maintenance} + {@code none}: when one group's count
 * is small, showing {@code all}'s and the other group's would give it back, so {@code all}'s is
 * withheld too.
 */
class CrossStratumSuppressionTest {

  @Test
  void allIsWithheldWhereAStratumIsSmall() {
    // 12 maintenance and 3 'none' responders (response on day 14, landmark 60 days later),
    // all relapse-free at 3 months, censored 200 days after response.
    SumCombineFn<StrataCounts> combine = StrataCounts.sum();
    StrataCounts sum = new StrataCounts();
    for (int i = 0; i < 15; i++) {
      CurveCounts all = new CurveCounts();
      all.durability.addSubject(200, false);
      all.sinceIndex.addSubject(14, 214, false);
      all.addLandmark(3, LandmarkStatus.RELAPSE_FREE);
      CurveCounts group = new CurveCounts();
      group.durability.addSubject(60, 200, false);
      group.sinceIndex.addSubject(74, 214, false);
      group.addLandmark(3, LandmarkStatus.RELAPSE_FREE);
      sum = combine.addInput(sum, StrataCounts.of(all, i < 12 ? "maintenance" : "none", group));
    }
    Map<String, List<GenericRecord>> rows = run(KV.of("depression|PHQ9", sum));

    Map<String, GenericRecord> month3 = new HashMap<>();
    rows.get("landmarks").stream().filter(r -> (int) r.get("months") == 3)
        .forEach(r -> month3.put(r.get("stratum").toString(), r));
    assertEquals(12L, month3.get("maintenance").get("relapse_free"));
    assertNull(month3.get("none").get("relapse_free"), "3 is a small cell");
    assertNull(month3.get("all").get("relapse_free"), "15 - 12 would give the 3 back");
    assertEquals(true, month3.get("all").get("suppressed"));

    for (GenericRecord r : rows.get("survival")) {
      if (r.get("stratum").toString().equals("all")) {
        assertNull(r.get("at_risk"), "all's at-risk 15 minus maintenance's 12 gives 3");
      } else {
        // The groups' curves start at the landmark: the one row is the censoring on day 200.
        assertEquals(200, r.get("day"));
      }
    }
    assertEquals(12L, rows.get("survival").stream()
        .filter(r -> r.get("stratum").toString().equals("maintenance")).findFirst()
        .orElseThrow().get("at_risk"));
  }

  private static Map<String, List<GenericRecord>> run(KV<String, StrataCounts> curve) {
    CohortConfig config = CohortConfig.from(StudyLoader.load(StudyLoader.DEMO).cohort(),
        StudyLoader.load(StudyLoader.DEMO).catalog());
    CurveRowsFn fn = new CurveRowsFn(config, new SmallCells(10), "test");
    fn.setup();
    Map<String, List<GenericRecord>> rows = new HashMap<>();
    fn.process(curve, new DoFn.MultiOutputReceiver() {
      @Override
      @SuppressWarnings("unchecked")
      public <T> DoFn.OutputReceiver<T> get(TupleTag<T> tag) {
        List<GenericRecord> list = rows.computeIfAbsent(tag.getId(), k -> new ArrayList<>());
        return new DoFn.OutputReceiver<T>() {
          @Override
          public void output(T output) {
            list.add((GenericRecord) output);
          }

          @Override
          public void outputWithTimestamp(T output, Instant timestamp) {
            output(output);
          }
        };
      }

      @Override
      public <T> DoFn.OutputReceiver<Row> getRowReceiver(TupleTag<T> tag) {
        throw new UnsupportedOperationException();
      }
    });
    return rows;
  }
}
