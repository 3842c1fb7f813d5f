package org.longitude.cohort;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
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
