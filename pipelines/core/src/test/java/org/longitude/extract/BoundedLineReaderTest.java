package org.longitude.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Line edges the NDJSON source meets: BOM, CRLF, no final newline, limits, bad UTF-8. */
class BoundedLineReaderTest {

  private static List<String> read(byte[] input, int max) throws IOException {
    BoundedLineReader r = new BoundedLineReader(new ByteArrayInputStream(input), max);
    List<String> out = new ArrayList<>();
    for (BoundedLineReader.Line l = r.next(); l != null; l = r.next()) {
      out.add(l.number() + ":" + (l.kind() == BoundedLineReader.Kind.TEXT
          ? new String(l.bytes(), StandardCharsets.UTF_8) : l.kind()));
    }
    assertNull(r.next());
    return out;
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void bomCrlfBlankLinesAndNoFinalNewline() throws IOException {
    assertEquals(List.of("1:{\"a\":1}", "3:{\"b\":\"é\"}", "5:{\"c\":3}"),
        read(b("\uFEFF{\"a\":1}\r\n \r\n{\"b\":\"é\"}\r\n\n{\"c\":3}"), 100));
    // A BOM is only stripped at the start of the file.
    assertEquals(List.of("1:x", "2:\uFEFFy"), read(b("x\n\uFEFFy\n"), 100));
    assertEquals(List.of(), read(new byte[0], 100));
    assertEquals(List.of(), read(b("\uFEFF\r\n\n"), 100));
  }

  @Test
  void linesOverTheLimitAreReportedAndTheNextLineStillRead() throws IOException {
    String exact = "x".repeat(10);
    assertEquals(List.of("1:" + exact, "2:TOO_LARGE", "3:ok"),
        read(b(exact + "\n" + "y".repeat(11) + "\nok"), 10));
    // Longer than the read buffer, across many refills.
    assertEquals(List.of("1:TOO_LARGE", "2:ok"), read(b("z".repeat(300_000) + "\nok\n"), 1000));
  }

  @Test
  void invalidUtf8IsReportedNotReplaced() throws IOException {
    byte[] bad = {'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}', '\n', 'o', 'k'};
    assertEquals(List.of("1:INVALID_UTF8", "2:ok"), read(bad, 100));
    byte[] surrogate = {(byte) 0xED, (byte) 0xA0, (byte) 0x80, '\n'};
    assertEquals(List.of("1:INVALID_UTF8"), read(surrogate, 100));
    byte[] truncated = {'a', (byte) 0xE2, (byte) 0x82, '\n', 'b'}; // a 3-byte char cut short
    assertEquals(List.of("1:INVALID_UTF8", "2:b"), read(truncated, 100));
  }

  @Test
  void validTextOutsideAsciiIsKeptAsSentReplacementCharacterIncluded() throws IOException {
    // U+FFFD sent as such is valid text, not a sign of bad bytes.
    assertEquals(List.of("1:{\"a\":\"\uFFFD\"}", "2:{\"b\":\"Zo\u00eb \u4e2d \uD83D\uDE00\"}"),
        read(b("{\"a\":\"\uFFFD\"}\n{\"b\":\"Zo\u00eb \u4e2d \uD83D\uDE00\"}"), 100));
  }
}
