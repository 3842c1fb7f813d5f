package org.longitude.extract;

import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.io.Serializable;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Bounded retries with exponential backoff and full jitter, for transient failures only:
 * connection problems, 429 and 5xx. Anything else fails at once.
 */
public record Retry(int maxAttempts, Duration initialBackoff, Duration maxBackoff)
    implements Serializable {

  public static Retry defaults() {
    return new Retry(5, Duration.ofMillis(200), Duration.ofSeconds(10));
  }

  public <T> T call(Callable<T> action) throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        return action.call();
      } catch (Exception e) {
        if (attempt >= maxAttempts || !isTransient(e)) {
          throw e;
        }
        Thread.sleep(backoff(attempt));
      }
    }
  }

  long backoff(int attempt) {
    long cap = Math.min(maxBackoff.toMillis(), initialBackoff.toMillis() << (attempt - 1));
    return ThreadLocalRandom.current().nextLong(cap / 2, cap + 1);
  }

  static boolean isTransient(Throwable e) {
    if (e instanceof FhirClientConnectionException) {
      return true;
    }
    if (e instanceof BaseServerResponseException r) {
      int status = r.getStatusCode();
      return status == 429 || status >= 500;
    }
    return false;
  }
}
