package org.longitude.measures;

import java.util.List;
import org.longitude.common.Reason;
import org.longitude.config.MeasureCatalog;

/**
 * The catalogue's rule for a total and its item answers: ranges, agreement of a total with
 * complete items, and a total scored from items when at most the measure's
 * {@code max_missing_items} are missing (prorated to the full scale). Shared by normalize
 * (items in one resource) and the timeline (items sent as a panel's {@code hasMember}).
 */
public final class ItemScore {
  /** The total (null when it cannot be scored) or the rule the values break. */
  public record Scored(Integer total, Reason violation) {}

  private ItemScore() {}

  /** @param items one slot per catalogue item, null where not answered */
  public static Scored of(MeasureCatalog.Measure m, Integer total, List<Integer> items) {
    if (total != null && (total < m.min() || total > m.max())) {
      return new Scored(null, Reason.VALUE_OUT_OF_RANGE);
    }
    int present = 0;
    int sum = 0;
    for (Integer item : items) {
      if (item != null) {
        if (item < m.itemRange().get(0) || item > m.itemRange().get(1)) {
          return new Scored(null, Reason.VALUE_OUT_OF_RANGE);
        }
        present++;
        sum += item;
      }
    }
    boolean complete = !items.isEmpty() && present == items.size();
    if (total != null && complete && total != sum) {
      return new Scored(null, Reason.ITEMS_TOTAL_MISMATCH);
    }
    if (total == null && present > 0 && items.size() - present <= m.maxMissingItemsOrZero()) {
      total = (int) Math.round((double) sum * items.size() / present);
    }
    return new Scored(total, null);
  }

  /** Items answered. */
  public static int answered(List<Integer> items) {
    return (int) items.stream().filter(java.util.Objects::nonNull).count();
  }
}
