package org.longitude.timeline;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.longitude.common.Reason;
import org.longitude.config.MeasureCatalog;
import org.longitude.deid.ParticipantEvent.Score;
import org.longitude.measures.ItemScore;

/**
 * Joins the Observations a panel names in {@code hasMember} to the panel: members' item
 * answers fill the panel's empty item slots, a member's total becomes the panel's total, and
 * the catalogue's rule ({@link ItemScore}) then scores the total from the items or checks it
 * against them.
 *
 * <p>Each record lands in exactly one outcome. A panel that scores goes on as one score (then
 * written, or counted as a duplicate) and each joined member is filtered as
 * {@link Reason#MERGED_INTO_TOTAL}. A panel that breaks the rule (items and total disagree,
 * too many items missing, no value at all) is quarantined with that reason, and so is each of
 * its members, so the data steward sees the whole questionnaire. Only members of the panel's
 * measure that are not panels themselves join, each to one panel (the first by record id);
 * others stay ordinary scores. Members not received (filtered, quarantined or never sent)
 * count as missing items.
 */
final class JoinPanelMembers {
  private JoinPanelMembers() {}

  /**
   * @param dropped told of each score left out, with its reason: a member merged into its
   *     panel, or a panel and its members quarantined
   */
  static List<Score> join(List<Score> scores, MeasureCatalog catalog,
      BiConsumer<Score, Reason> dropped) {
    Map<String, Score> byId = new HashMap<>();
    scores.forEach(s -> byId.put(s.recordId(), s));
    List<Score> panels = scores.stream().filter(s -> !s.members().isEmpty())
        .sorted(Comparator.comparing(Score::recordId)).toList();
    if (panels.isEmpty()) {
      return scores;
    }
    Set<String> joined = new HashSet<>();
    Map<String, Score> scored = new HashMap<>();
    for (Score panel : panels) {
      List<Score> members = new ArrayList<>();
      for (String id : panel.members()) {
        Score m = byId.get(id);
        if (m != null && m.members().isEmpty() && m.measure().equals(panel.measure())
            && joined.add(id)) {
          members.add(m);
        }
      }
      Score result = score(panel, members, catalog.measure(panel.measure()), dropped);
      if (result != null) {
        scored.put(panel.recordId(), result);
      }
    }
    List<Score> out = new ArrayList<>();
    for (Score s : scores) {
      if (!s.members().isEmpty()) {
        if (scored.containsKey(s.recordId())) {
          out.add(scored.get(s.recordId()));
        }
      } else if (!joined.contains(s.recordId())) {
        out.add(s);
      }
    }
    return out;
  }

  /**
   * A score's item slots ({@code own}, or {@code n} empty ones), each empty slot filled from
   * the first of {@code from} that answered it. Shared by panels and their members and by
   * totals and the items sent apart from them.
   */
  static List<Integer> mergedItems(List<Integer> own, int n, List<Score> from) {
    List<Integer> items = new ArrayList<>(own.isEmpty() ? Collections.nCopies(n, null) : own);
    for (Score s : from) {
      for (int i = 0; i < Math.min(items.size(), s.items().size()); i++) {
        if (s.items().get(i) != null && items.get(i) == null) {
          items.set(i, s.items().get(i));
        }
      }
    }
    return items;
  }

  /** The panel as one score with its members' values, or null when it was quarantined. */
  private static Score score(Score panel, List<Score> members, MeasureCatalog.Measure measure,
      BiConsumer<Score, Reason> dropped) {
    List<Integer> items = mergedItems(panel.items(), measure.numberOfItems(), members);
    Integer total = panel.total();
    Reason conflict = null;
    for (Score m : members) {
      if (m.total() != null) {
        if (total != null && !total.equals(m.total())) {
          conflict = Reason.ITEMS_TOTAL_MISMATCH; // two totals for one questionnaire
        }
        total = total == null ? m.total() : total;
      }
    }
    ItemScore.Scored result = ItemScore.of(measure, total, items);
    int answered = ItemScore.answered(items);
    Reason reason = conflict != null ? conflict
        : result.violation() != null ? result.violation()
        : result.total() == null ? (answered == 0 ? Reason.MISSING_VALUE : Reason.INCOMPLETE_ITEMS)
        : null;
    if (reason != null) {
      dropped.accept(panel, reason);
      members.forEach(m -> dropped.accept(m, reason));
      return null;
    }
    members.forEach(m -> dropped.accept(m, Reason.MERGED_INTO_TOTAL));
    return new Score(panel.clinic(), panel.recordId(), panel.version(), panel.measure(),
        panel.sourceSystem(), panel.sourceCode(), result.total(),
        answered == 0 ? List.of() : Collections.unmodifiableList(items), panel.date());
  }
}
