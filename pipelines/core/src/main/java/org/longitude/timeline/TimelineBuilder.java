package org.longitude.timeline;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.longitude.common.Ledger;
import org.longitude.common.Reason;
import org.longitude.config.MeasureCatalog;
import org.longitude.deid.ParticipantEvent;
import org.longitude.deid.ParticipantEvent.Administration;
import org.longitude.deid.ParticipantEvent.Demographics;
import org.longitude.deid.ParticipantEvent.Diagnosis;
import org.longitude.deid.ParticipantEvent.Retraction;
import org.longitude.deid.ParticipantEvent.Score;
import org.longitude.measures.ItemScore;
import org.longitude.quarantine.QuarantineRecord;

/**
 * Resolves one participant's events into a {@link Timeline}, counting in the bundle's
 * {@link Ledger} every event it writes or leaves out. Holds one participant's events only.
 */
final class TimelineBuilder {
  static final String STAGE = "timeline";
  private final String participantId;
  private final int initialCourseEndDay;
  private final MeasureCatalog catalog;
  private final Ledger ledger;
  private final List<ParticipantEvent> events = new ArrayList<>();

  TimelineBuilder(String participantId, int initialCourseEndDay, MeasureCatalog catalog,
      Ledger ledger) {
    this.participantId = participantId;
    this.initialCourseEndDay = initialCourseEndDay;
    this.catalog = catalog;
    this.ledger = ledger;
  }

  void add(ParticipantEvent event) {
    events.add(event);
  }

  void build(Consumer<Timeline> timelines, Consumer<QuarantineRecord> quarantine) {
    List<ParticipantEvent> current = newestVersions();
    Demographics who = current.stream().filter(Demographics.class::isInstance)
        .map(Demographics.class::cast).findFirst().orElse(null);
    if (who == null) {
      // Records whose subject is not among the clinic's patients.
      for (ParticipantEvent e : current) {
        quarantine(quarantine, e, Reason.SUBJECT_NOT_FOUND, measureOf(e));
      }
      return;
    }
    ledger.written(who.clinic(), who.resourceType(), null);

    List<Administration> administrations = new ArrayList<>();
    List<Score> scores = new ArrayList<>();
    List<String> diagnoses = new ArrayList<>();
    for (ParticipantEvent e : current) {
      if (e instanceof Administration a) {
        administrations.add(a);
      } else if (e instanceof Score s) {
        scores.add(s);
      } else if (e instanceof Diagnosis d) {
        diagnoses.addAll(d.codes());
        ledger.written(d.clinic(), d.resourceType(), null);
      }
    }
    administrations.sort(Comparator.comparing(Administration::date)
        .thenComparing(Administration::recordId));
    LocalDate index = administrations.isEmpty() ? null : administrations.get(0).date();
    List<Timeline.Treatment> treatments = new ArrayList<>();
    for (Administration a : administrations) {
      Integer day = Timeline.daysSince(index, a.date());
      treatments.add(new Timeline.Treatment(a.recordId(), a.system(), a.code(), a.date(), day,
          day > initialCourseEndDay, treatments.size() + 1));
      ledger.written(a.clinic(), a.resourceType(), null);
    }
    List<Timeline.Score> kept = keptScores(scores, who.birthDate(), index, quarantine);
    timelines.accept(new Timeline(participantId, who.clinic(), who.sex(), who.birthDate(),
        who.ageCapDate(),
        who.zip3(), index, List.copyOf(treatments), List.copyOf(kept),
        List.copyOf(diagnoses)));
  }

  /** Newest version of each record; older versions and retracted records are counted. */
  private List<ParticipantEvent> newestVersions() {
    Map<String, ParticipantEvent> newest = new HashMap<>();
    for (ParticipantEvent e : events) {
      String key = recordKey(e);
      ParticipantEvent other = newest.get(key);
      if (other == null) {
        newest.put(key, e);
        continue;
      }
      boolean newer = e.version().compareTo(other.version()) > 0;
      ParticipantEvent loser = newer ? other : e;
      if (newer) {
        newest.put(key, e);
      }
      countSuperseded(loser, newer ? e : other);
    }
    List<ParticipantEvent> current = new ArrayList<>();
    for (ParticipantEvent e : newest.values()) {
      if (!(e instanceof Retraction)) {
        current.add(e);
      }
    }
    current.sort(Comparator.comparing(TimelineBuilder::recordKey));
    return current;
  }

  private void countSuperseded(ParticipantEvent loser, ParticipantEvent winner) {
    if (loser instanceof Retraction) {
      return; // already counted as filtered when it was read
    }
    Reason reason = winner instanceof Retraction ? Reason.RETRACTED : Reason.SUPERSEDED_VERSION;
    ledger.dropped(loser.clinic(), loser.resourceType(), reason, measureOf(loser));
  }

  private List<Timeline.Score> keptScores(List<Score> scores, LocalDate birth, LocalDate index,
      Consumer<QuarantineRecord> quarantine) {
    List<Score> valid = new ArrayList<>();
    for (Score s : scores) {
      if (birth != null && s.date().isBefore(birth)) {
        quarantine(quarantine, s, Reason.DATE_BEFORE_BIRTH, s.measure());
      } else {
        valid.add(s);
      }
    }
    List<Score> totals = new ArrayList<>();
    List<Score> itemsOnly = new ArrayList<>();
    for (Score s : JoinPanelMembers.join(valid, catalog, (s, reason) -> {
      if (reason.quarantined()) {
        quarantine(quarantine, s, reason, s.measure());
      } else {
        ledger.dropped(s.clinic(), s.resourceType(), reason, s.measure());
      }
    })) {
      (s.total() == null ? itemsOnly : totals).add(s);
    }
    Map<String, List<Score>> itemsOfTotal = new HashMap<>();
    for (Score item : itemsOnly) {
      Score total = totals.stream()
          .filter(t -> t.measure().equals(item.measure()) && t.date().equals(item.date()))
          .findFirst().orElse(null);
      if (total == null) {
        quarantine(quarantine, item, Reason.INCOMPLETE_ITEMS, item.measure());
        continue;
      }
      itemsOfTotal.computeIfAbsent(total.recordId(), k -> new ArrayList<>()).add(item);
    }
    Map<String, List<Integer>> itemsByTotal = new HashMap<>();
    for (java.util.Iterator<Score> it = totals.iterator(); it.hasNext(); ) {
      Score total = it.next();
      List<Score> items = itemsOfTotal.getOrDefault(total.recordId(), List.of());
      if (items.isEmpty()) {
        continue;
      }
      List<Integer> merged = JoinPanelMembers.mergedItems(total.items(),
          items.get(0).items().size(), items);
      // Items sent as their own Observations must agree with the total they join, as items
      // inside one resource must: a disagreement is quarantined whole, total and items.
      if (ItemScore.of(catalog.measure(total.measure()), total.total(), merged).violation()
          == Reason.ITEMS_TOTAL_MISMATCH) {
        quarantine(quarantine, total, Reason.ITEMS_TOTAL_MISMATCH, total.measure());
        items.forEach(i -> quarantine(quarantine, i, Reason.ITEMS_TOTAL_MISMATCH, i.measure()));
        it.remove();
        continue;
      }
      itemsByTotal.put(total.recordId(), merged);
      items.forEach(i -> ledger.dropped(i.clinic(), i.resourceType(),
          Reason.MERGED_INTO_TOTAL, i.measure()));
    }
    totals.sort(Comparator.comparing(Score::date).thenComparing(Score::measure)
        .thenComparing(Score::recordId));
    Set<String> seen = new HashSet<>();
    List<Timeline.Score> kept = new ArrayList<>();
    for (Score s : totals) {
      if (!seen.add(s.measure() + "|" + s.date() + "|" + s.total())) {
        ledger.dropped(s.clinic(), s.resourceType(), Reason.DUPLICATE, s.measure());
        continue;
      }
      List<Integer> items = itemsByTotal.getOrDefault(s.recordId(), s.items());
      kept.add(new Timeline.Score(s.recordId(), s.version().text(), s.measure(),
          s.sourceSystem(), s.sourceCode(), s.total(), items, s.date(),
          Timeline.daysSince(index, s.date())));
      ledger.written(s.clinic(), s.resourceType(), s.measure());
    }
    return kept;
  }

  private void quarantine(Consumer<QuarantineRecord> out, ParticipantEvent e, Reason reason,
      String measure) {
    ledger.dropped(e.clinic(), e.resourceType(), reason, measure);
    // De-identified description: the steward finds the source record by re-keying ids.
    out.accept(new QuarantineRecord(e.clinic(), e.resourceType(), reason.name(), measure, STAGE,
        "participant=" + participantId + " record=" + recordKey(e)));
  }

  private static String recordKey(ParticipantEvent e) {
    if (e instanceof Demographics) {
      return "Patient";
    }
    if (e instanceof Score s) {
      return "Observation/" + s.recordId();
    }
    if (e instanceof Administration a) {
      return a.resourceType() + "/" + a.recordId();
    }
    if (e instanceof Diagnosis d) {
      return "Condition/" + d.recordId();
    }
    Retraction r = (Retraction) e;
    return r.resourceType() + "/" + r.recordId();
  }

  private static String measureOf(ParticipantEvent e) {
    return e instanceof Score s ? s.measure() : null;
  }
}
