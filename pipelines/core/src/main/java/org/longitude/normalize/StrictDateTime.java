package org.longitude.normalize;

import java.time.DateTimeException;
import java.time.LocalDate;

/**
 * The common FHIR shapes {@code yyyy-MM-dd} and {@code yyyy-MM-ddTHH:mm:ss[.fff](Z|±hh:mm)},
 * read with plain digit arithmetic: java.time's general parser was a tenth of normalizing
 * time. Anything outside these shapes, valid or not, gives null and is left to java.time,
 * which then decides, so results are the same either way.
 */
final class StrictDateTime {
  private final LocalDate day;
  private final long epochMillis;

  private StrictDateTime(LocalDate day, long epochMillis) {
    this.day = day;
    this.epochMillis = epochMillis;
  }

  LocalDate day() {
    return day;
  }

  long epochMillis() {
    return epochMillis;
  }

  /** A date with a time and an offset, or null. */
  static StrictDateTime parse(String v) {
    int n = v.length();
    if (n < 20 || v.charAt(10) != 'T' || v.charAt(13) != ':' || v.charAt(16) != ':') {
      return null;
    }
    LocalDate day = date(v);
    int hour = number(v, 11, 13);
    int minute = number(v, 14, 16);
    int second = number(v, 17, 19);
    if (day == null || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0
        || second > 59) {
      return null;
    }
    int i = 19;
    int millis = 0;
    if (v.charAt(i) == '.') {
      int digits = 0;
      while (i + 1 < n && v.charAt(i + 1) >= '0' && v.charAt(i + 1) <= '9') {
        i++;
        digits++;
        if (digits <= 3) {
          millis = millis * 10 + (v.charAt(i) - '0');
        }
      }
      if (digits == 0 || digits > 9) {
        return null;
      }
      for (int d = digits; d < 3; d++) {
        millis *= 10;
      }
      i++;
    }
    int offsetSeconds;
    if (i == n - 1 && v.charAt(i) == 'Z') {
      offsetSeconds = 0;
    } else if (i == n - 6 && (v.charAt(i) == '+' || v.charAt(i) == '-')
        && v.charAt(i + 3) == ':') {
      int hours = number(v, i + 1, i + 3);
      int minutes = number(v, i + 4, i + 6);
      if (hours < 0 || hours > 17 || minutes < 0 || minutes > 59) {
        return null; // +18:00 and beyond: java.time's rules decide
      }
      offsetSeconds = (v.charAt(i) == '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
    } else {
      return null;
    }
    long seconds = day.toEpochDay() * 86_400 + hour * 3600L + minute * 60L + second
        - offsetSeconds;
    return new StrictDateTime(day, seconds * 1000 + millis);
  }

  /** The calendar date of {@code yyyy-MM-dd...}, or null. */
  static LocalDate date(String v) {
    if (v.length() < 10 || v.charAt(4) != '-' || v.charAt(7) != '-') {
      return null;
    }
    int year = number(v, 0, 4);
    int month = number(v, 5, 7);
    int dayOfMonth = number(v, 8, 10);
    if (year < 0 || month < 1 || month > 12 || dayOfMonth < 1) {
      return null;
    }
    try {
      return LocalDate.of(year, month, dayOfMonth);
    } catch (DateTimeException e) {
      return null; // 31 April, 29 February of a common year
    }
  }

  /** The ASCII digits in [from, to) as a number, or -1. */
  private static int number(String v, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = v.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }
}
