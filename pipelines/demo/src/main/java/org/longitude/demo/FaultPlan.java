package org.longitude.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A deterministic plan of faults a demo clinic injects in front of its FHIR server, so that
 * clients can be tested against the failures real servers and proxies produce. Each
 * {@link Rule} counts the requests in its scope (every FHIR request, or only paging requests,
 * those carrying {@code _getpages}) and fires on the {@code first}-th, then every
 * {@code every}-th after it, at most {@code times} times.
 *
 * <pre>{@code
 * FaultPlan.none()
 *     .with(FaultPlan.every(Fault.UNAVAILABLE, 3))            // 503 + Retry-After on 3, 6, 9...
 *     .with(FaultPlan.at(Fault.TRUNCATED_PAGE, 5).onPages())  // the 5th paging request
 * }</pre>
 */
public final class FaultPlan {

  /** What the clinic does instead of (or to) its normal answer. */
  public enum Fault {
    /** 500 with an OperationOutcome. Transient. */
    SERVER_ERROR(true),
    /** 429 with {@code Retry-After}. Transient. */
    TOO_MANY_REQUESTS(true),
    /** 503 with {@code Retry-After}. Transient. */
    UNAVAILABLE(true),
    /** The connection is closed before any response is written. Transient. */
    CONNECTION_RESET(true),
    /** The answer is delayed by {@link FaultPlan#slowMillis()} (a client read timeout). */
    SLOW_RESPONSE(true),
    /** 200 with the real page cut in half (well-framed, so only the JSON is broken). */
    TRUNCATED_PAGE(false),
    /** 200 with an HTML body, as a misconfigured proxy sends. */
    NOT_JSON(false),
    /** 404 on a paging request, as when the server forgot the search. */
    NEXT_LINK_NOT_FOUND(false),
    /** 200 with a searchset Bundle whose only entry is an OperationOutcome error. */
    OPERATION_OUTCOME(false);

    private final boolean transientFault;

    Fault(boolean transientFault) {
      this.transientFault = transientFault;
    }

    /** Whether a retry of the same request succeeds. */
    public boolean isTransient() {
      return transientFault;
    }
  }

  /**
   * One fault and the requests it hits.
   *
   * @param pagesOnly count only paging requests ({@code _getpages}), not first pages
   * @param first the 1-based number of the first request hit
   * @param every after the first hit, every this many requests (0 = only {@code first})
   * @param times at most this many hits
   */
  public record Rule(Fault fault, boolean pagesOnly, int first, int every, int times) {
    public Rule {
      Objects.requireNonNull(fault);
      if (first < 1 || every < 0 || times < 0) {
        throw new IllegalArgumentException("first >= 1, every >= 0, times >= 0");
      }
    }

    /** Counts only paging requests (those following a {@code next} link). */
    public Rule onPages() {
      return new Rule(fault, true, first, every, times);
    }

    /** Fires at most {@code n} times. */
    public Rule times(int n) {
      return new Rule(fault, pagesOnly, first, every, n);
    }

    /** Whether the {@code n}-th request of this rule's scope is hit (ignoring {@code times}). */
    boolean matches(long n) {
      if (n < first) {
        return false;
      }
      return n == first || (every > 0 && (n - first) % every == 0);
    }
  }

  private static final FaultPlan NONE = new FaultPlan(List.of(), 1, 2000);

  private final List<Rule> rules;
  private final int retryAfterSeconds;
  private final int slowMillis;

  private FaultPlan(List<Rule> rules, int retryAfterSeconds, int slowMillis) {
    this.rules = List.copyOf(rules);
    this.retryAfterSeconds = retryAfterSeconds;
    this.slowMillis = slowMillis;
  }

  /** No faults; Retry-After 1 s; slow responses take 2 s. */
  public static FaultPlan none() {
    return NONE;
  }

  /** The {@code n}-th request (1-based) gets {@code fault}, once. */
  public static Rule at(Fault fault, int n) {
    return new Rule(fault, fault == Fault.NEXT_LINK_NOT_FOUND, n, 0, 1);
  }

  /** Every {@code k}-th request gets {@code fault} (k, 2k, 3k, ...). */
  public static Rule every(Fault fault, int k) {
    return new Rule(fault, fault == Fault.NEXT_LINK_NOT_FOUND, k, k, Integer.MAX_VALUE);
  }

  /** This plan plus one rule; the first rule that fires on a request wins. */
  public FaultPlan with(Rule rule) {
    List<Rule> more = new ArrayList<>(rules);
    more.add(Objects.requireNonNull(rule));
    return new FaultPlan(more, retryAfterSeconds, slowMillis);
  }

  /** The {@code Retry-After} value sent with 429 and 503. */
  public FaultPlan withRetryAfterSeconds(int seconds) {
    return new FaultPlan(rules, Math.max(0, seconds), slowMillis);
  }

  /** How long a {@link Fault#SLOW_RESPONSE} is held before the server answers. */
  public FaultPlan withSlowMillis(int millis) {
    return new FaultPlan(rules, retryAfterSeconds, Math.max(0, millis));
  }

  public List<Rule> rules() {
    return rules;
  }

  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }

  public int slowMillis() {
    return slowMillis;
  }

  public boolean isEmpty() {
    return rules.isEmpty();
  }
}
