package org.longitude.views;

import java.util.regex.Pattern;

/** Reads the target of a FHIR literal reference: {@code Patient/123}, absolute or versioned. */
final class References {
  private static final Pattern TYPE = Pattern.compile("[A-Z][A-Za-z]+");
  private static final String HISTORY = "/_history/";
  /** A FHIR id. */
  static final Pattern ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

  /** A reference's target. */
  record Key(String type, String id) {}

  private References() {}

  /**
   * The target of {@code reference} ({@code [base/]Type/id[/_history/version]}), or null
   * (contained {@code #x}, {@code urn:uuid:...}). Read by hand, not by a regular expression:
   * a view reads one or more references of every resource.
   */
  static Key parse(String reference) {
    if (reference == null) {
      return null;
    }
    String r = reference;
    int history = r.lastIndexOf(HISTORY);
    if (history >= 0 && history + HISTORY.length() < r.length()
        && r.indexOf('/', history + HISTORY.length()) < 0) {
      r = r.substring(0, history);
    }
    int slash = r.lastIndexOf('/');
    if (slash <= 0) {
      return null;
    }
    String type = r.substring(r.lastIndexOf('/', slash - 1) + 1, slash);
    String id = r.substring(slash + 1);
    return TYPE.matcher(type).matches() && ID.matcher(id).matches() ? new Key(type, id) : null;
  }
}
