package org.longitude.config;

import java.io.Serializable;

/**
 * How a clinic delivers its data.
 *
 * @param kind fhir-search (REST search with paging) or ndjson (a Bulk Data style directory)
 * @param baseUrl FHIR base URL, for fhir-search
 * @param pageSize requested {@code _count}, for fhir-search
 * @param directory folder of NDJSON files, for ndjson (relative to the study file)
 * @param auth how to authenticate to the server, for fhir-search (null = none)
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
    SourceAuth auth, Integer slices, String sliceFrom, String timeLimit, String trustStore,
    String trustStorePasswordEnv, String trustStorePasswordFile) implements Serializable {

  /** Default overall time limit of one clinic's pull. */
  public static final java.time.Duration DEFAULT_TIME_LIMIT = java.time.Duration.ofHours(6);

  @com.fasterxml.jackson.annotation.JsonCreator
  public Source {}

  public Source(Kind kind, String baseUrl, Integer pageSize, String directory,
      SourceAuth auth) {
    this(kind, baseUrl, pageSize, directory, auth, null, null, null, null, null, null);
  }

  public Source(Kind kind, String baseUrl, Integer pageSize, String directory) {
    this(kind, baseUrl, pageSize, directory, null);
  }

  /** The kinds of source. */
  public enum Kind {
    FHIR_SEARCH,
    NDJSON;

    @com.fasterxml.jackson.annotation.JsonCreator
    public static Kind parse(String text) {
      for (Kind k : values()) {
        if (k.name().replace('_', '-').equalsIgnoreCase(text)) {
          return k;
        }
      }
      throw new IllegalArgumentException("unknown source kind '" + text
          + "' (expected fhir-search or ndjson)");
    }
  }

  public int pageSizeOrDefault() {
    return pageSize == null ? 200 : pageSize;
  }

  public Source withBaseUrl(String url) {
    return new Source(kind, url, pageSize, directory, auth, slices, sliceFrom, timeLimit,
        trustStore, trustStorePasswordEnv, trustStorePasswordFile);
  }

  public Source withAuth(SourceAuth newAuth) {
    return new Source(kind, baseUrl, pageSize, directory, newAuth, slices, sliceFrom, timeLimit,
        trustStore, trustStorePasswordEnv, trustStorePasswordFile);
  }

  /** This source split into {@code n} {@code _lastUpdated} slices starting at {@code from}. */
  public Source withSlices(int n, String from) {
    return new Source(kind, baseUrl, pageSize, directory, auth, n, from, timeLimit,
        trustStore, trustStorePasswordEnv, trustStorePasswordFile);
  }

  /** This source with an overall time limit ({@code 6h}, {@code 90m}, {@code 30s}, ISO). */
  public Source withTimeLimit(String limit) {
    return new Source(kind, baseUrl, pageSize, directory, auth, slices, sliceFrom, limit,
        trustStore, trustStorePasswordEnv, trustStorePasswordFile);
  }

  /** This source with its trust store path resolved (e.g. against the study file). */
  public Source withTrustStore(String path, String passwordEnv, String passwordFile) {
    return new Source(kind, baseUrl, pageSize, directory, auth, slices, sliceFrom, timeLimit,
        path, passwordEnv, passwordFile);
  }

  public int slicesOrDefault() {
    return slices == null ? 1 : slices;
  }

  /** The overall time limit: {@code 6h}, {@code 90m}, {@code 45s} or an ISO-8601 duration. */
  public java.time.Duration timeLimitOrDefault() {
    return timeLimit == null ? DEFAULT_TIME_LIMIT : parseDuration(timeLimit);
  }

  /** Parses {@code 6h}, {@code 90m}, {@code 45s} or ISO-8601 ({@code PT6H}). */
  public static java.time.Duration parseDuration(String text) {
    String t = text.trim().toLowerCase(java.util.Locale.ROOT);
    if (t.matches("\\d+[hms]")) {
      long n = Long.parseLong(t.substring(0, t.length() - 1));
      return switch (t.charAt(t.length() - 1)) {
        case 'h' -> java.time.Duration.ofHours(n);
        case 'm' -> java.time.Duration.ofMinutes(n);
        default -> java.time.Duration.ofSeconds(n);
      };
    }
    return java.time.Duration.parse(text.trim().toUpperCase(java.util.Locale.ROOT));
  }
}
