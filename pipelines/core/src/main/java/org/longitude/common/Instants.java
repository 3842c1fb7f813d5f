package org.longitude.common;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Instants as settings and servers write them. */
public final class Instants {
  private Instants() {}

  /**
   * A date ({@code 2020-01-01}, its start in UTC) or an instant with an offset
   * ({@code 2020-01-01T00:00:00Z}); throws {@link java.time.format.DateTimeParseException}.
   */
  public static Instant parse(String text) {
    String t = text.trim();
    if (t.length() == 10) {
      return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
    }
    return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(t, Instant::from);
  }
}
