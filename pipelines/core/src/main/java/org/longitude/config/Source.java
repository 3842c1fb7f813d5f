package org.longitude.config;

import java.io.Serializable;
import java.time.Duration;
import java.util.Locale;

/**
 * How a clinic delivers its data.
 *
 * @param kind fhir-search (REST search with paging), bulk-export (FHIR Bulk Data
 *     {@code $export}) or ndjson (a Bulk Data style directory)
 * @param baseUrl FHIR base URL, for fhir-search and bulk-export
 * @param pageSize requested {@code _count}, for fhir-search
 * @param directory folder of NDJSON files, for ndjson (relative to the study file)
 * @param auth how to authenticate to the server, for fhir-search and bulk-export (null = none)
 * @param pollDeadline for bulk-export: how long to wait for the export job ({@code 30m},
 *     {@code PT30M} or seconds; null = {@link #DEFAULT_POLL_DEADLINE})
 * @param slices split each search into this many {@code _lastUpdated} slices (null = 1)
 * @param sliceFrom ISO date or instant where the sliced range starts (the first slice also
 *     takes everything before it, the last everything after the run's start)
 * @param timeLimit how long the clinic's pull may take overall, e.g. {@code 6h}, {@code 90m},
 *     {@code PT30S} (null = {@link #DEFAULT_TIME_LIMIT})
 * @param trustStore PKCS#12 trust store for the server's TLS certificate (relative to the
 *     study file; null = the JVM's trust store)
 * @param trustStorePasswordEnv environment variable holding the trust store's password
 * @param trustStorePasswordFile file holding the trust store's password
 */
public record Source(Kind kind, String baseUrl, Integer pageSize, String directory,
    SourceAuth auth, String pollDeadline, Integer slices, String sliceFrom, String timeLimit,
    String trustStore, String trustStorePasswordEnv, String trustStorePasswordFile)
    implements Serializable {

  /** Export jobs are scheduler-driven on real servers: polls can take minutes. */
  public static final Duration DEFAULT_POLL_DEADLINE = Duration.ofHours(1);
  /** Default overall time limit of one clinic's pull. */
  public static final Duration DEFAULT_TIME_LIMIT = Duration.ofHours(6);

  @com.fasterxml.jackson.annotation.JsonCreator
  public Source {}

  public Source(Kind kind, String baseUrl, Integer pageSize, String directory,
      SourceAuth auth) {
    this(kind, baseUrl, pageSize, directory, auth, null, null, null, null, null, null, null);
  }

  public Source(Kind kind, String baseUrl, Integer pageSize, String directory) {
    this(kind, baseUrl, pageSize, directory, null);
  }

  /** A bulk-export source with no auth and the default poll deadline. */
  public static Source bulkExport(String baseUrl) {
    return new Source(Kind.BULK_EXPORT, baseUrl, null, null, null);
  }

  /** The kinds of source. */
  public enum Kind {
    FHIR_SEARCH,
    BULK_EXPORT,
    NDJSON;

    @com.fasterxml.jackson.annotation.JsonCreator
    public static Kind parse(String text) {
      for (Kind k : values()) {
        if (k.name().replace('_', '-').equalsIgnoreCase(text)) {
          return k;
        }
      }
      throw new IllegalArgumentException("unknown source kind '" + text
          + "' (expected fhir-search, bulk-export or ndjson)");
    }
  }

  public int pageSizeOrDefault() {
    return pageSize == null ? 200 : pageSize;
  }

  public int slicesOrDefault() {
    return slices == null ? 1 : slices;
  }

  /**
   * The bulk-export poll deadline.
   *
   * @throws IllegalArgumentException when {@code poll_deadline} is not a positive duration
   */
  public Duration pollDeadlineOrDefault() {
    return pollDeadline == null ? DEFAULT_POLL_DEADLINE : parseDuration(pollDeadline);
  }

  /** The overall time limit of the clinic's pull. */
  public Duration timeLimitOrDefault() {
    return timeLimit == null ? DEFAULT_TIME_LIMIT : parseDuration(timeLimit);
  }

  /**
   * Parses {@code 6h}, {@code 90m}, {@code 45s}, a bare number of seconds or ISO-8601
   * ({@code PT6H}).
   *
   * @throws IllegalArgumentException when the text is none of these, or not positive
   */
  public static Duration parseDuration(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    Duration d;
    try {
      if (t.matches("\\d+")) {
        d = Duration.ofSeconds(Long.parseLong(t));
      } else if (t.matches("\\d+[hms]")) {
        long n = Long.parseLong(t.substring(0, t.length() - 1));
        d = switch (t.charAt(t.length() - 1)) {
          case 'h' -> Duration.ofHours(n);
          case 'm' -> Duration.ofMinutes(n);
          default -> Duration.ofSeconds(n);
        };
      } else {
        d = Duration.parse(t.toUpperCase(Locale.ROOT));
      }
    } catch (java.time.format.DateTimeParseException | ArithmeticException e) {
      throw new IllegalArgumentException("'" + text + "' is neither a duration like 30m, 6h "
          + "or PT30M nor a number of seconds");
    }
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("'" + text + "' is not a positive duration");
    }
    return d;
  }

  public Source withBaseUrl(String url) {
    return new Source(kind, url, pageSize, directory, auth, pollDeadline, slices, sliceFrom,
        timeLimit, trustStore, trustStorePasswordEnv, trustStorePasswordFile);
  }

  public Source withAuth(SourceAuth newAuth) {
    return new Source(kind, baseUrl, pageSize, directory, newAuth, pollDeadline, slices,
        sliceFrom, timeLimit, trustStore, trustStorePasswordEnv, trustStorePasswordFile);
  }

  public Source withDirectory(String dir) {
    return new Source(kind, baseUrl, pageSize, dir, auth, pollDeadline, slices, sliceFrom,
        timeLimit, trustStore, trustStorePasswordEnv, trustStorePasswordFile);
  }

  public Source withPollDeadline(String deadline) {
    return new Source(kind, baseUrl, pageSize, directory, auth, deadline, slices, sliceFrom,
        timeLimit, trustStore, trustStorePasswordEnv, trustStorePasswordFile);
  }

  /** This source split into {@code n} {@code _lastUpdated} slices starting at {@code from}. */
  public Source withSlices(int n, String from) {
    return new Source(kind, baseUrl, pageSize, directory, auth, pollDeadline, n, from,
        timeLimit, trustStore, trustStorePasswordEnv, trustStorePasswordFile);
  }

  /** This source with an overall time limit ({@code 6h}, {@code 90m}, {@code 30s}, ISO). */
  public Source withTimeLimit(String limit) {
    return new Source(kind, baseUrl, pageSize, directory, auth, pollDeadline, slices, sliceFrom,
        limit, trustStore, trustStorePasswordEnv, trustStorePasswordFile);
  }

  /** This source with its trust store path resolved (e.g. against the study file). */
  public Source withTrustStore(String path, String passwordEnv, String passwordFile) {
    return new Source(kind, baseUrl, pageSize, directory, auth, pollDeadline, slices, sliceFrom,
        timeLimit, path, passwordEnv, passwordFile);
  }
}
