package org.longitude.config;

import java.io.Serializable;

/**
 * How a clinic delivers its data.
 *
 * @param kind fhir-search (REST search with paging), bulk-export (FHIR Bulk Data
 *     {@code $export}) or ndjson (a Bulk Data style directory)
 * @param baseUrl FHIR base URL, for fhir-search and bulk-export
 * @param pageSize requested {@code _count}, for fhir-search
 * @param directory folder of NDJSON files, for ndjson (relative to the study file)
 * @param auth how to authenticate to the server, for fhir-search and bulk-export (null = none)
 * @param pollDeadline for bulk-export: how long to wait for the export job, as an ISO-8601
 *     duration ({@code PT30M}) or seconds; null = {@link #DEFAULT_POLL_DEADLINE}
 */
public record Source(Kind kind, String baseUrl, Integer pageSize, String directory,
    SourceAuth auth, String pollDeadline) implements Serializable {
  /** Export jobs are scheduler-driven on real servers: polls can take minutes. */
  public static final java.time.Duration DEFAULT_POLL_DEADLINE = java.time.Duration.ofHours(1);

  @com.fasterxml.jackson.annotation.JsonCreator
  public Source {}

  public Source(Kind kind, String baseUrl, Integer pageSize, String directory,
      SourceAuth auth) {
    this(kind, baseUrl, pageSize, directory, auth, null);
  }

  public Source(Kind kind, String baseUrl, Integer pageSize, String directory) {
    this(kind, baseUrl, pageSize, directory, null, null);
  }

  /** A bulk-export source with no auth and the default poll deadline. */
  public static Source bulkExport(String baseUrl) {
    return new Source(Kind.BULK_EXPORT, baseUrl, null, null, null, null);
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

  /**
   * The bulk-export poll deadline.
   *
   * @throws IllegalArgumentException when {@code poll_deadline} is neither an ISO-8601
   *     duration nor a whole number of seconds, or not positive
   */
  public java.time.Duration pollDeadlineOrDefault() {
    if (pollDeadline == null) {
      return DEFAULT_POLL_DEADLINE;
    }
    java.time.Duration d;
    try {
      d = pollDeadline.trim().matches("\\d+")
          ? java.time.Duration.ofSeconds(Long.parseLong(pollDeadline.trim()))
          : java.time.Duration.parse(pollDeadline.trim());
    } catch (java.time.format.DateTimeParseException | ArithmeticException e) {
      throw new IllegalArgumentException("'" + pollDeadline + "' is neither an ISO-8601 "
          + "duration (e.g. PT30M) nor a number of seconds");
    }
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("'" + pollDeadline + "' is not a positive duration");
    }
    return d;
  }

  public Source withBaseUrl(String url) {
    return new Source(kind, url, pageSize, directory, auth, pollDeadline);
  }

  public Source withAuth(SourceAuth newAuth) {
    return new Source(kind, baseUrl, pageSize, directory, newAuth, pollDeadline);
  }

  public Source withDirectory(String dir) {
    return new Source(kind, baseUrl, pageSize, dir, auth, pollDeadline);
  }

  public Source withPollDeadline(String deadline) {
    return new Source(kind, baseUrl, pageSize, directory, auth, deadline);
  }
}
