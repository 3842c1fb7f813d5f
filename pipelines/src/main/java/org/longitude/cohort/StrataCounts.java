package org.longitude.cohort;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine;

/**
 * The curve counts of one condition and measure, per stratum ({@code all} and each landmark
 * group), kept together so that suppression can look across strata: from the landmark on,
 * {@code all} is the sum of the groups, so a count shown for {@code all} and one group would
 * give the other group's back.
 */
final class StrataCounts implements Serializable {
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

  /** Adds every stratum of {@code other} into this; returns this. {@code other} is unchanged. */
  StrataCounts merge(StrataCounts other) {
    other.byStratum.forEach((stratum, counts) ->
        byStratum.computeIfAbsent(stratum, k -> new CurveCounts()).merge(counts));
    return this;
  }

  /**
   * Sums strata across participants into one mutable accumulator: a binary combine that
   * returned a fresh sum per participant copied every curve's day map each time.
   */
  static final class CombineFn
      extends Combine.CombineFn<StrataCounts, StrataCounts, StrataCounts> {
    @Override
    public StrataCounts createAccumulator() {
      return new StrataCounts();
    }

    @Override
    public StrataCounts addInput(StrataCounts sum, StrataCounts input) {
      return sum.merge(input);
    }

    @Override
    public StrataCounts mergeAccumulators(Iterable<StrataCounts> sums) {
      StrataCounts total = new StrataCounts();
      sums.forEach(total::merge);
      return total;
    }

    @Override
    public StrataCounts extractOutput(StrataCounts sum) {
      return sum;
    }

    @Override
    public Coder<StrataCounts> getAccumulatorCoder(CoderRegistry registry,
        Coder<StrataCounts> inputCoder) {
      return CountsCoders.StrataCountsCoder.INSTANCE;
    }

    @Override
    public Coder<StrataCounts> getDefaultOutputCoder(CoderRegistry registry,
        Coder<StrataCounts> inputCoder) {
      return CountsCoders.StrataCountsCoder.INSTANCE;
    }
  }
}
