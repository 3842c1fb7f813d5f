package org.longitude.common;

import java.io.Serializable;

/**
 * Orders the versions of one record: {@code meta.versionId} (numerically when it is a
 * number, else as text), then {@code meta.lastUpdated}.
 */
public record RecordVersion(long number, String text, long lastUpdatedMillis)
    implements Serializable, Comparable<RecordVersion> {
  private static final long DAY_MILLIS = 86_400_000L;

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
