package org.longitude.cohort;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.transforms.Combine;

/**
 * The curve counts of one condition and measure, per stratum ({@code all} and each
 * treatment stratum), kept together so that suppression can look across strata: {@code all}
 * is the sum of the others, so a count shown for {@code all} and one stratum would give the
 * other stratum's back.
 */
final class StrataCounts implements Serializable {
  static final String ALL = "all";
  final Map<String, CurveCounts> byStratum = new TreeMap<>();

  /** One participant's counts, under {@code all} and their own stratum. */
  static StrataCounts of(String stratum, CurveCounts counts) {
    StrataCounts s = new StrataCounts();
    s.byStratum.put(ALL, new CurveCounts().merge(counts));
    s.byStratum.put(stratum, new CurveCounts().merge(counts));
    return s;
  }

  /** Sums strata across participants. */
  static final class CombineFn extends Combine.BinaryCombineFn<StrataCounts> {
    @Override
    public StrataCounts apply(StrataCounts left, StrataCounts right) {
      StrataCounts sum = new StrataCounts();
      for (StrataCounts side : new StrataCounts[] {left, right}) {
        side.byStratum.forEach((stratum, counts) ->
            sum.byStratum.computeIfAbsent(stratum, k -> new CurveCounts()).merge(counts));
      }
      return sum;
    }
  }
}
