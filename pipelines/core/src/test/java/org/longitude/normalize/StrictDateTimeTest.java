package org.longitude.normalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fast path agrees with java.time wherever it answers, and answers the common shapes. */
class StrictDateTimeTest {
  @Test
  void commonShapesAreReadAsJavaTimeReadsThem() {
    Random random = new Random(7);
    List<DateTimeFormatter> shapes = List.of(
        DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX"),
        DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX"),
        DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SXXX"),
        DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSSxxx"));
    for (int i = 0; i < 20_000; i++) {
      OffsetDateTime t = Instant.ofEpochMilli(random.nextLong(-2_000_000_000_000L,
              4_000_000_000_000L))
          .atOffset(ZoneOffset.ofTotalSeconds(random.nextInt(-17 * 60, 17 * 60 + 1) * 60));
      String v = t.format(shapes.get(i % shapes.size()));
      StrictDateTime strict = StrictDateTime.parse(v);
      assertNotNull(strict, v);
      assertEquals(Instant.from(OffsetDateTime.parse(v)).toEpochMilli(), strict.epochMillis(), v);
      assertEquals(LocalDate.parse(v.substring(0, 10)), strict.day(), v);
      assertEquals(LocalDate.parse(v.substring(0, 10)), StrictDateTime.date(v.substring(0, 10)));
    }
  }

  @Test
  void whereverTheFastPathAnswersJavaTimeAgrees() {
    String base = "2021-01-06T09:56:00.123-05:00";
    Random random = new Random(11);
    String alphabet = "0123456789-+:.TZ x";
    int answered = 0;
    for (int i = 0; i < 200_000; i++) {
      StringBuilder v = new StringBuilder(base);
      for (int k = random.nextInt(1, 3); k > 0; k--) {
        int at = random.nextInt(v.length());
        switch (random.nextInt(3)) {
          case 0 -> v.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
          case 1 -> v.deleteCharAt(at);
          default -> v.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
        }
      }
      String s = v.toString();
      StrictDateTime strict = StrictDateTime.parse(s);
      Long expected = javaTimeMillis(s);
      if (strict != null) {
        answered++;
        assertEquals(expected, strict.epochMillis(), s);
      }
    }
    assertEquals(true, answered > 1_000, "mutations the fast path still reads: " + answered);
  }

  @Test
  void impossibleDatesAndOffsetsAreLeftToJavaTime() {
    assertNull(StrictDateTime.date("2023-02-29"));
    assertNull(StrictDateTime.date("2023-04-31"));
    assertNull(StrictDateTime.parse("2023-01-01T24:00:00Z"));
    assertNull(StrictDateTime.parse("2023-01-01T10:00:00+18:00"));
    assertNull(StrictDateTime.parse("2023-01-01T10:00:00"));
    assertNull(StrictDateTime.parse("2023-01-01T10:00:00.Z"));
    assertNull(StrictDateTime.parse("2023-01-01T10:00:00.1234567890Z"));
    assertEquals(LocalDate.of(2024, 2, 29), StrictDateTime.date("2024-02-29"));
  }

  private static Long javaTimeMillis(String v) {
    try {
      return Instant.from(OffsetDateTime.parse(v)).toEpochMilli();
    } catch (DateTimeException e) {
      return null;
    }
  }
}
