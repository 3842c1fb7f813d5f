package org.longitude.extract;

import java.io.Serializable;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Bounded retries with exponential backoff and full jitter. */
record Retry(int maxAttempts, Duration initialBackoff, Duration maxBackoff)
    implements Serializable {

  static Retry defaults() {
    return new Retry(5, Duration.ofMillis(200), Duration.ofSeconds(10));
  }

  /** Milliseconds to wait after failed attempt {@code attempt} (1-based). */
  long backoff(int attempt) {
    long cap = Math.min(maxBackoff.toMillis(), initialBackoff.toMillis() << (attempt - 1));
    return ThreadLocalRandom.current().nextLong(cap / 2, cap + 1);
  }
}
