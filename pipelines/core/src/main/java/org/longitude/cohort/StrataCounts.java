package org.longitude.cohort;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;
import org.longitude.common.SumCombineFn;

/**
 * The curve counts of one condition and measure, per stratum ({@code all} and each landmark
 * group), kept together so that suppression can look across strata: from the landmark on,
 * {@code all} is the sum of the groups, so a count shown for {@code all} and one group would
 * give the other group's back.
 */
final class StrataCounts implements Serializable, SumCombineFn.Summable<StrataCounts> {
  static final String ALL = "all";
  final Map<String, CurveCounts> byStratum = new TreeMap<>();

  /**
   * One responder's counts: under {@code all}, and under their landmark group when they are in
   * one ({@code group} null otherwise).
   */
  static StrataCounts of(CurveCounts all, String group, CurveCounts inGroup) {
    StrataCounts s = new StrataCounts();
    s.byStratum.put(ALL, all);
    if (group != null) {
      s.byStratum.put(group, inGroup);
    }
    return s;
  }

  @Override
  public StrataCounts merge(StrataCounts other) {
    other.byStratum.forEach((stratum, counts) ->
        byStratum.computeIfAbsent(stratum, k -> new CurveCounts()).merge(counts));
    return this;
  }

  /** Sums strata across participants into one mutable accumulator per curve. */
  static SumCombineFn<StrataCounts> sum() {
    return SumCombineFn.of(none -> new StrataCounts(), CountsCoders.StrataCountsCoder.INSTANCE);
  }
}
