package org.longitude.common;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test hook, off unless the JVM has the system property
 * {@code longitude.test.failEveryNthBundle=N}: the steps that decide records' fates call
 * {@link #afterBundle} when a bundle has done all its work (outputs handed on, files written),
 * and every Nth bundle of each step throws, as a worker that dies at that moment would, so
 * that the runner retries it. At most {@code longitude.test.maxInjectedFailures} (default 3)
 * bundles fail for one setting, so a runner that restarts whole jobs still finishes. Costs a
 * property lookup per bundle (never per record) when off.
 */
public final class FailureInjection {
  public static final String EVERY_NTH_BUNDLE = "longitude.test.failEveryNthBundle";
  public static final String MAX_FAILURES = "longitude.test.maxInjectedFailures";
  /** The counts of the current setting; a new setting starts them again. */
  private static volatile Setting current = new Setting("", 0, 0);

  private FailureInjection() {}

  private record Setting(String text, int every, int max, Map<String, AtomicInteger> bundles,
      AtomicInteger failed) {
    Setting(String text, int every, int max) {
      this(text, every, max, new ConcurrentHashMap<>(), new AtomicInteger());
    }
  }

  /** The exception a failed bundle throws: a test can tell it from a real failure. */
  public static final class InjectedFailure extends RuntimeException {
    InjectedFailure(String step, int bundle) {
      super("injected failure after bundle " + bundle + " of step " + step);
    }
  }

  /** Throws on every Nth bundle of {@code step} while the hook is on. */
  public static void afterBundle(String step) {
    String every = System.getProperty(EVERY_NTH_BUNDLE);
    if (every == null) {
      return;
    }
    Setting setting = setting(every + "/" + System.getProperty(MAX_FAILURES, "3"));
    int bundle = setting.bundles().computeIfAbsent(step, s -> new AtomicInteger())
        .incrementAndGet();
    if (bundle % setting.every() == 0 && setting.failed().incrementAndGet() <= setting.max()) {
      throw new InjectedFailure(step, bundle);
    }
  }

  /** How many bundles failed for the current setting. */
  public static int failures() {
    Setting setting = current;
    return Math.min(setting.failed().get(), setting.max());
  }

  private static synchronized Setting setting(String text) {
    if (!current.text().equals(text)) {
      String[] parts = text.split("/");
      current = new Setting(text, Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
    }
    return current;
  }
}
