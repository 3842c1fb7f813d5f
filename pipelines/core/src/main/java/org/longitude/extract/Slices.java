package org.longitude.extract;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits one search into {@code _lastUpdated} slices that Beam can pull in parallel, each
 * paged by its own next links. Boundaries are half-open ({@code ge} a boundary, {@code lt}
 * the next), the first slice is unbounded below and the last unbounded above, so every
 * resource falls in exactly one slice whatever its timestamp.
 */
public final class Slices {
  /** Millisecond precision, as servers stamp meta.lastUpdated. */
  private static final DateTimeFormatter INSTANT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private Slices() {}

  /**
   * The extra query of each slice: {@code n} parts of {@code [from, to)}; one empty query
   * (no slicing) when {@code n} is 1 or the range is empty.
   */
  static List<String> queries(int n, Instant from, Instant to) {
    if (n <= 1 || !from.isBefore(to)) {
      return List.of("");
    }
    long span = to.toEpochMilli() - from.toEpochMilli();
    List<Instant> bounds = new ArrayList<>();
    for (int i = 1; i < n; i++) {
      Instant b = Instant.ofEpochMilli(from.toEpochMilli() + span * i / n);
      if (bounds.isEmpty() || b.isAfter(bounds.get(bounds.size() - 1))) {
        bounds.add(b);
      }
    }
    List<String> queries = new ArrayList<>();
    for (int i = 0; i <= bounds.size(); i++) {
      String lower = i == 0 ? null : "_lastUpdated=ge" + format(bounds.get(i - 1));
      String upper = i == bounds.size() ? null : "_lastUpdated=lt" + format(bounds.get(i));
      queries.add(lower == null ? upper : upper == null ? lower : lower + "&" + upper);
    }
    return queries;
  }

  /** An instant as a FHIR search value: UTC with milliseconds. */
  public static String format(Instant instant) {
    return INSTANT.format(instant);
  }
}
