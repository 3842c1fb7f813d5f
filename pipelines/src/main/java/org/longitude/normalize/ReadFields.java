package org.longitude.normalize;

import com.fasterxml.jackson.core.filter.TokenFilter;
import java.util.Set;

/**
 * The parts of a resource {@link ResourceReader} looks at, as a parser filter: the parser
 * still reads (and checks) every byte, but builds nodes only for these. The narrative, notes,
 * performers, categories, display texts and extensions — most of a typical resource, and the
 * parts that carry free text — are skipped without being copied. Objects and arrays left
 * empty by the filter are kept empty, so a value's shape reads as it was sent.
 */
final class ReadFields extends TokenFilter {
  /** The top-level fields read, over every resource type read. */
  private static final Set<String> TOP_LEVEL = Set.of("resourceType", "id", "meta", "status",
      "subject", "code", "effectiveDateTime", "effectivePeriod", "valueInteger",
      "valueQuantity", "valueString", "valueCodeableConcept", "component", "hasMember",
      "birthDate", "gender", "address", "medicationCodeableConcept", "medicationReference",
      "performedDateTime", "performedPeriod", "verificationStatus");
  /** Fields never read at any depth below the top level. */
  private static final Set<String> NEVER_NESTED = Set.of("display", "text", "extension", "div");

  static final ReadFields RESOURCE = new ReadFields(true);
  private static final ReadFields NESTED = new ReadFields(false);

  private final boolean topLevel;

  private ReadFields(boolean topLevel) {
    this.topLevel = topLevel;
  }

  @Override
  public TokenFilter includeProperty(String name) {
    if (topLevel) {
      return TOP_LEVEL.contains(name) ? NESTED : null;
    }
    return NEVER_NESTED.contains(name) ? null : NESTED;
  }

  @Override
  public TokenFilter includeElement(int index) {
    return topLevel ? this : NESTED;
  }

  @Override
  public boolean includeEmptyObject(boolean contentsFiltered) {
    return true;
  }

  @Override
  public boolean includeEmptyArray(boolean contentsFiltered) {
    return true;
  }
}
