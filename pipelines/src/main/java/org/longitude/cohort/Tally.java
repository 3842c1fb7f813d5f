package org.longitude.cohort;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;
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

  /** Sums tallies. */
  static final class CombineFn extends Combine.BinaryCombineFn<Tally> {
    @Override
    public Tally apply(Tally left, Tally right) {
      Tally sum = new Tally();
      left.counts.forEach((k, v) -> sum.counts.merge(k, v, Long::sum));
      right.counts.forEach((k, v) -> sum.counts.merge(k, v, Long::sum));
      return sum;
    }
  }
}
