package org.longitude.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * A small HTML writer: every piece of text goes through {@link #text} (escaped); markup is
 * only ever the constant tags written here, so nothing read from a table can become markup.
 */
final class Html {
  /** What came before the charts written so far, and each chart's data URI, in page order. */
  private final List<Supplier<String>> pieces = new ArrayList<>();
  /** Markup and text since the last chart. */
  private StringBuilder out = new StringBuilder();

  /** Escapes text for element content and double- or single-quoted attribute values. */
  static String escape(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder s = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> s.append("&amp;");
        case '<' -> s.append("&lt;");
        case '>' -> s.append("&gt;");
        case '"' -> s.append("&quot;");
        case '\'' -> s.append("&#39;");
        default -> s.append(c);
      }
    }
    return s.toString();
  }

  /** Appends constant markup (never data). */
  Html raw(String markup) {
    out.append(markup);
    return this;
  }

  Html text(Object text) {
    out.append(escape(text == null ? "" : String.valueOf(text)));
    return this;
  }

  /** {@code <tag>text</tag>} with the text escaped. */
  Html element(String tag, Object text) {
    return raw("<" + tag + ">").text(text).raw("</" + tag + ">");
  }

  /** {@code <tag class="cls">text</tag>} with the text escaped. */
  Html element(String tag, String cls, Object text) {
    return raw("<" + tag + " class=\"" + escape(cls) + "\">").text(text).raw("</" + tag + ">");
  }

  /**
   * A chart as an embedded PNG; {@code alt} describes it in words. The chart may still be
   * being encoded: its bytes are waited for when the page is turned into a string.
   */
  Html chart(Charts.Png png, String alt) {
    raw("<img class=\"chart\" width=\"" + png.width() + "\" height=\"" + png.height()
        + "\" alt=\"" + escape(alt) + "\" src=\"");
    StringBuilder before = out;
    pieces.add(before::toString);
    pieces.add(png::dataUri);
    out = new StringBuilder();
    return raw("\">");
  }

  /** A table with a header row and body rows; every cell is escaped text. */
  Html table(List<String> header, List<List<String>> rows) {
    return table(null, header, rows);
  }

  Html table(String caption, List<String> header, List<List<String>> rows) {
    raw("<table>");
    if (caption != null) {
      element("caption", caption);
    }
    raw("<thead><tr>");
    header.forEach(h -> element("th", h));
    raw("</tr></thead><tbody>");
    for (List<String> row : rows) {
      raw("<tr>");
      for (String cell : row) {
        if (cell != null && cell.startsWith(Report.SUPPRESSED_PREFIX)) {
          element("td", "suppressed", cell);
        } else {
          element("td", cell);
        }
      }
      raw("</tr>");
    }
    return raw("</tbody></table>");
  }

  static String percent(double fraction) {
    return String.format(Locale.ROOT, "%.1f%%", 100 * fraction);
  }

  static String decimal(double value, int places) {
    return String.format(Locale.ROOT, "%." + places + "f", value);
  }

  @Override
  public String toString() {
    StringBuilder page = new StringBuilder();
    pieces.forEach(piece -> page.append(piece.get()));
    return page.append(out).toString();
  }
}
