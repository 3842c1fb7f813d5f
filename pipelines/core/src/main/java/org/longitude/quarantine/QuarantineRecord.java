package org.longitude.quarantine;

import java.io.Serializable;

/**
 * A record kept back for the clinic's data steward. Restricted zone only: {@code content}
 * is the record as received (or, for rules applied after de-identification, its
 * de-identified description).
 */
public record QuarantineRecord(String clinic, String resourceType, String reason, String measure,
    String stage, String content) implements Serializable {

  /** Never the content: runners log elements (Beam's DirectRunner at debug level). */
  @Override
  public String toString() {
    return "QuarantineRecord[clinic=" + clinic + ", resourceType=" + resourceType + ", reason="
        + reason + ", measure=" + measure + ", stage=" + stage + ", content=<"
        + (content == null ? 0 : content.length()) + " chars, restricted>]";
  }
}
