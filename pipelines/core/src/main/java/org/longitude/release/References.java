package org.longitude.release;

/** Reads the target of a FHIR literal reference: {@code Patient/123}, absolute or versioned. */
public final class References {
  private static final String HISTORY = "/_history/";

  /** A reference's target. */
  public record Key(String type, String id) {}

  private References() {}

  /**
   * The target of {@code reference} ({@code [base/]Type/id[/_history/version]}), or null
   * (contained {@code #x}, {@code urn:uuid:...}). Read by hand, not by a regular expression:
   * a view reads one or more references of every resource.
   */
  public static Key parse(String reference) {
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
    return isType(type) && isId(id) ? new Key(type, id) : null;
  }

  /** {@code [A-Z][A-Za-z]+} */
  private static boolean isType(String s) {
    if (s.length() < 2 || s.charAt(0) < 'A' || s.charAt(0) > 'Z') {
      return false;
    }
    for (int i = 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
        return false;
      }
    }
    return true;
  }

  /** A FHIR id: {@code [A-Za-z0-9\\-.]{1,64}}. */
  public static boolean isId(String s) {
    if (s.isEmpty() || s.length() > 64) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.')) {
        return false;
      }
    }
    return true;
  }
}
