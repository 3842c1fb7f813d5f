package org.longitude.release;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Small-cell suppression for counts that are tied together by sums (a total and its parts,
 * possibly across tables): the small cells are withheld, and then, in each sum, further
 * cells (complementary suppression), until no withheld cell can be recomputed from the
 * shown ones. In every sum, either nothing is withheld, or at least two cells are; and when
 * the total is shown, the withheld parts together are not small either (else their sum
 * would be a small cell given away). Complements are the smallest shown non-zero parts,
 * then the total, chosen in key order on ties, so the outcome is deterministic.
 *
 * <p>A value computed later from shown cells only (a column total, a clinic's total over
 * resource types) reveals nothing; one computed from any withheld cell must be withheld too
 * ({@link #sum}).
 *
 * @param <K> what names a cell
 */
public final class LinkedCells<K> {
  private final SmallCells cells;
  private final Map<K, Long> values = new LinkedHashMap<>();
  private final List<Sum<K>> sums = new ArrayList<>();

  private record Sum<K>(K total, List<K> parts) {}

  public LinkedCells(SmallCells cells) {
    this.cells = cells;
  }

  /** A cell and its exact count. */
  public LinkedCells<K> cell(K key, long value) {
    values.put(key, value);
    return this;
  }

  /** Declares {@code total = sum of parts}; every key must be a cell. */
  public LinkedCells<K> sum(K total, Collection<K> parts) {
    for (K k : parts) {
      if (!values.containsKey(k)) {
        throw new IllegalArgumentException("not a cell: " + k);
      }
    }
    if (!values.containsKey(total)) {
      throw new IllegalArgumentException("not a cell: " + total);
    }
    sums.add(new Sum<>(total, List.copyOf(parts)));
    return this;
  }

  /** The cells to withhold: the small ones and their complements. */
  public Set<K> withheld() {
    Set<K> hidden = new HashSet<>();
    values.forEach((k, v) -> {
      if (cells.isSmall(v)) {
        hidden.add(k);
      }
    });
    boolean changed = true;
    while (changed) { // hiding a cell in one sum can expose it in another: repeat to a fixpoint
      changed = false;
      for (Sum<K> sum : sums) {
        while (exposes(sum, hidden)) {
          Optional<K> next = complement(sum, hidden);
          if (next.isEmpty()) {
            break; // only zeros are left shown: a zero withheld would add nothing
          }
          hidden.add(next.get());
          changed = true;
        }
      }
    }
    return hidden;
  }

  /** A sum of shown cells, or null when any of them is withheld. */
  public static Long sum(Collection<Long> shown) {
    long total = 0;
    for (Long v : shown) {
      if (v == null) {
        return null;
      }
      total += v;
    }
    return total;
  }

  private boolean exposes(Sum<K> sum, Set<K> hidden) {
    long hiddenCells = sum.parts().stream().filter(hidden::contains).count()
        + (hidden.contains(sum.total()) ? 1 : 0);
    if (hiddenCells == 0) {
      return false;
    }
    if (hiddenCells == 1) {
      return true;
    }
    long hiddenParts = sum.parts().stream().filter(hidden::contains)
        .mapToLong(values::get).sum();
    return !hidden.contains(sum.total()) && cells.isSmall(hiddenParts);
  }

  private Optional<K> complement(Sum<K> sum, Set<K> hidden) {
    Optional<K> part = sum.parts().stream()
        .filter(k -> !hidden.contains(k) && values.get(k) > 0)
        .min(Comparator.<K>comparingLong(values::get).thenComparing(String::valueOf));
    if (part.isPresent()) {
      return part;
    }
    return hidden.contains(sum.total()) || values.get(sum.total()) == 0
        ? Optional.empty() : Optional.of(sum.total());
  }
}
