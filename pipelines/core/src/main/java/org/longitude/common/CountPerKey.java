package org.longitude.common;

import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * How many elements each key has (or the sum of their weights), the key taken from the
 * element: counted in memory per bundle, so only a few sums per worker cross the network —
 * {@code Count.perElement} shipped every element's key, a row of a million-row table costing
 * as much to count as to sort.
 */
public final class CountPerKey<T>
    extends PTransform<PCollection<T>, PCollection<KV<String, Long>>> {
  private final SerializableFunction<T, String> key;
  private final SerializableFunction<T, Long> weight;

  private CountPerKey(SerializableFunction<T, String> key, SerializableFunction<T, Long> weight) {
    this.key = key;
    this.weight = weight;
  }

  /** Elements per key. */
  public static <T> CountPerKey<T> of(SerializableFunction<T, String> key) {
    return new CountPerKey<>(key, e -> 1L);
  }

  /** The sum of the elements' weights per key (rows per key, of batches of rows, say). */
  public static <T> CountPerKey<T> weighted(SerializableFunction<T, String> key,
      SerializableFunction<T, Long> weight) {
    return new CountPerKey<>(key, weight);
  }

  @Override
  public PCollection<KV<String, Long>> expand(PCollection<T> elements) {
    return elements.apply("CountInBundle", ParDo.of(new CountFn<>(key, weight)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()))
        .apply("Sum", Sum.longsPerKey());
  }

  private static final class CountFn<T> extends DoFn<T, KV<String, Long>> {
    private final SerializableFunction<T, String> key;
    private final SerializableFunction<T, Long> weight;
    private transient Map<String, Long> counts;

    CountFn(SerializableFunction<T, String> key, SerializableFunction<T, Long> weight) {
      this.key = key;
      this.weight = weight;
    }

    @StartBundle
    public void startBundle() {
      counts = new HashMap<>();
    }

    @ProcessElement
    public void process(@Element T element) {
      counts.merge(key.apply(element), weight.apply(element), Long::sum);
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext c) {
      counts.forEach((k, n) -> BundleEnd.output(c, KV.of(k, n)));
      counts = null;
    }
  }
}
