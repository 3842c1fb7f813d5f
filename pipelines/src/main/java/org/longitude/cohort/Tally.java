package org.longitude.cohort;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine;

/** Named counts for one condition (course outcomes, attrition steps), summed across workers. */
final class Tally implements Serializable {
  final Map<String, Long> counts = new TreeMap<>();

  Tally add(String name, boolean when) {
    if (when) {
      counts.merge(name, 1L, Long::sum);
    }
    return this;
  }

  long get(String name) {
    return counts.getOrDefault(name, 0L);
  }

  /** Adds every count of {@code other} into this; returns this. {@code other} is unchanged. */
  Tally merge(Tally other) {
    other.counts.forEach((k, v) -> counts.merge(k, v, Long::sum));
    return this;
  }

  /** Sums tallies into one mutable accumulator. */
  static final class CombineFn extends Combine.CombineFn<Tally, Tally, Tally> {
    @Override
    public Tally createAccumulator() {
      return new Tally();
    }

    @Override
    public Tally addInput(Tally sum, Tally input) {
      return sum.merge(input);
    }

    @Override
    public Tally mergeAccumulators(Iterable<Tally> sums) {
      Tally total = new Tally();
      sums.forEach(total::merge);
      return total;
    }

    @Override
    public Tally extractOutput(Tally sum) {
      return sum;
    }

    @Override
    public Coder<Tally> getAccumulatorCoder(CoderRegistry registry, Coder<Tally> inputCoder) {
      return CountsCoders.TallyCoder.INSTANCE;
    }

    @Override
    public Coder<Tally> getDefaultOutputCoder(CoderRegistry registry, Coder<Tally> inputCoder) {
      return CountsCoders.TallyCoder.INSTANCE;
    }
  }
}
