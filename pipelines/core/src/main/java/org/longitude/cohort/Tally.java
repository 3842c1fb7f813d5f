package org.longitude.cohort;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;
import org.longitude.common.SumCombineFn;

/** Named counts for one condition (course outcomes, attrition steps), summed across workers. */
final class Tally implements Serializable, SumCombineFn.Summable<Tally> {
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

  @Override
  public Tally merge(Tally other) {
    other.counts.forEach((k, v) -> counts.merge(k, v, Long::sum));
    return this;
  }

  /** Sums tallies into one mutable accumulator per condition. */
  static SumCombineFn<Tally> sum() {
    return SumCombineFn.of(none -> new Tally(), CountsCoders.TallyCoder.INSTANCE);
  }
}
