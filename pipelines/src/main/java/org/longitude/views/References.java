package org.longitude.views;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the target of a FHIR literal reference: {@code Patient/123}, absolute or versioned. */
final class References {
  /** {@code [base/]Type/id[/_history/version]}; ids as FHIR allows them. */
  private static final Pattern LITERAL =
      Pattern.compile("(?:.*/)?([A-Z][A-Za-z]+)/([A-Za-z0-9\\-.]{1,64})(?:/_history/[^/]+)?");
  /** A FHIR id. */
  static final Pattern ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

  /** A reference's target. */
  record Key(String type, String id) {}

  private References() {}

  /** The target of {@code reference}, or null (contained {@code #x}, {@code urn:uuid:...}). */
  static Key parse(String reference) {
    if (reference == null) {
      return null;
    }
    Matcher m = LITERAL.matcher(reference);
    return m.matches() ? new Key(m.group(1), m.group(2)) : null;
  }
}
