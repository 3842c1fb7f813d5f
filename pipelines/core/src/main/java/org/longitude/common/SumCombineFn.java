package org.longitude.common;

import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.SerializableFunction;

/**
 * Sums mergeable counts (e.g. per-day survival counts, named tallies) into one mutable
 * accumulator per key: a binary combine that returned a fresh sum per input would copy the
 * whole accumulator each time.
 *
 * @param <T> the counts; {@link Summable#merge} adds another's counts into this one
 */
public final class SumCombineFn<T extends SumCombineFn.Summable<T>>
    extends Combine.CombineFn<T, T, T> {

  /** Counts that can take in another's. */
  public interface Summable<T> {
    /** Adds every count of {@code other} into this; returns this. {@code other} is unchanged. */
    T merge(T other);
  }

  private final SerializableFunction<Void, T> empty;
  private final Coder<T> coder;

  private SumCombineFn(SerializableFunction<Void, T> empty, Coder<T> coder) {
    this.empty = empty;
    this.coder = coder;
  }

  /**
   * @param empty makes an empty accumulator
   * @param coder encodes accumulators and the output
   */
  public static <T extends Summable<T>> SumCombineFn<T> of(SerializableFunction<Void, T> empty,
      Coder<T> coder) {
    return new SumCombineFn<>(empty, coder);
  }

  @Override
  public T createAccumulator() {
    return empty.apply(null);
  }

  @Override
  public T addInput(T sum, T input) {
    return sum.merge(input);
  }

  @Override
  public T mergeAccumulators(Iterable<T> sums) {
    T total = createAccumulator();
    sums.forEach(total::merge);
    return total;
  }

  @Override
  public T extractOutput(T sum) {
    return sum;
  }

  @Override
  public Coder<T> getAccumulatorCoder(CoderRegistry registry, Coder<T> inputCoder) {
    return coder;
  }

  @Override
  public Coder<T> getDefaultOutputCoder(CoderRegistry registry, Coder<T> inputCoder) {
    return coder;
  }
}
