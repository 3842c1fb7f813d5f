package org.longitude.common;

import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Output from a {@code @FinishBundle} method, which has no element to take a window from: the
 * study's pipelines are batch, so everything is in the global window.
 */
public final class BundleEnd {
  private BundleEnd() {}

  public static <T> void output(DoFn<?, T>.FinishBundleContext c, T element) {
    c.output(element, GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE);
  }

  public static <T> void output(DoFn<?, ?>.FinishBundleContext c, TupleTag<T> tag, T element) {
    c.output(tag, element, GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE);
  }
}
