package org.longitude.common;

import java.io.Serializable;

/**
 * Orders the versions of one record: {@code meta.versionId} (numerically when it is a
 * number, else as text), then {@code meta.lastUpdated}.
 */
public record RecordVersion(long number, String text, long lastUpdatedMillis)
    implements Serializable, Comparable<RecordVersion> {
  private static final long DAY_MILLIS = 86_400_000L;

  /** A version from {@code meta}: its versionId (a number when it is one) and lastUpdated. */
  public static RecordVersion of(String versionId, long lastUpdatedMillis) {
    long number = 0;
    if (versionId != null) {
      try {
        number = Long.parseLong(versionId);
      } catch (NumberFormatException e) {
        number = 0; // a text version (an ETag, a UUID) is ordered as text
      }
    }
    return new RecordVersion(number, versionId == null ? "" : versionId, lastUpdatedMillis);
  }

  @Override
  public int compareTo(RecordVersion o) {
    int c = Long.compare(number, o.number);
    if (c == 0) {
      c = text.compareTo(o.text);
    }
    return c != 0 ? c : Long.compare(lastUpdatedMillis, o.lastUpdatedMillis);
  }

  /** The same version with its lastUpdated moved by a participant's date shift. */
  public RecordVersion shiftedBy(int days) {
    return lastUpdatedMillis == 0 ? this
        : new RecordVersion(number, text, lastUpdatedMillis + days * DAY_MILLIS);
  }
}
