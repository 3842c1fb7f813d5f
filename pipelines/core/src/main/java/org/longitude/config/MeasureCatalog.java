package org.longitude.config;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * The canonical measures ({@code fhir-mappings/measures.yaml}) and the LOINC answer codes
 * whose values score item answers.
 */
public record MeasureCatalog(Map<String, Integer> answerCodes, Map<String, Measure> measures)
    implements Serializable {

  /**
   * One canonical questionnaire.
   *
   * @param range valid total scores, inclusive [min, max]
   * @param itemRange valid item answers, inclusive [min, max]
   * @param total LOINC code of the total score, if LOINC has one
   * @param panels LOINC panel codes; a panel carries items as components
   * @param panelMayCarryTotal accept a value on the panel code as the total (GAD-7 69737-5)
   * @param items LOINC item codes in questionnaire order
   * @param itemCount number of items, for measures whose items have no LOINC codes (clinics
   *     map local codes to item numbers)
   * @param suicidalIdeationItem 1-based item that records suicidal ideation, if any
   * @param maxMissingItems items that may be missing when a total is scored from items (the
   *     sum is then prorated to the full item count, rounded half up); default 0
   */
  public record Measure(
      String name,
      String condition,
      List<Integer> range,
      List<Integer> itemRange,
      String total,
      List<String> panels,
      Boolean panelMayCarryTotal,
      List<String> items,
      Integer itemCount,
      Integer suicidalIdeationItem,
      Integer maxMissingItems) implements Serializable {

    public int min() {
      return range.get(0);
    }

    public int max() {
      return range.get(1);
    }

    /** Items of the questionnaire: the LOINC list's length, else {@code item_count}. */
    public int numberOfItems() {
      return !itemsOrEmpty().isEmpty() ? itemsOrEmpty().size() : itemCount == null ? 0 : itemCount;
    }

    public List<String> itemsOrEmpty() {
      return items == null ? List.of() : items;
    }

    public List<String> panelsOrEmpty() {
      return panels == null ? List.of() : panels;
    }

    public int maxMissingItemsOrZero() {
      return maxMissingItems == null ? 0 : maxMissingItems;
    }

    public boolean panelCarriesTotal() {
      return Boolean.TRUE.equals(panelMayCarryTotal);
    }
  }

  public Measure measure(String id) {
    return measures.get(id);
  }
}
