package org.longitude.release;

import java.io.Serializable;

/** Small-cell suppression: counts from 1 to the threshold are withheld, never shown as 0. */
public record SmallCells(int max) implements Serializable {

  public boolean isSmall(long count) {
    return count >= 1 && count <= max;
  }

  /** The count, or null when it must be withheld. */
  public Long show(long count) {
    return isSmall(count) ? null : count;
  }
}
