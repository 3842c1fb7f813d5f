package org.longitude.release;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.longitude.common.Schemas;
import org.longitude.config.DeidRules;
import org.longitude.config.MeasureCatalog;
import org.longitude.timeline.Timeline;

/**
 * The participant-level research rows of a timeline — {@code participants}, {@code
 * observations}, {@code treatments} — with the study's date mode (shifted days, or the year
 * alone), capped ages and the birth year withheld for a capped age. A timeline carries the
 * shifted birth date; only the age and, below the cap, the year leave here. Not thread-safe
 * (one per worker thread).
 */
public final class TimelineRows {
  private final boolean fullDates;
  private final Ages ages;
  private final Map<String, String> loincTotals;
  private final String runId;
  private final Schema participants = Schemas.load(Schemas.PARTICIPANTS);
  private final Schema observations = Schemas.load(Schemas.OBSERVATIONS);
  private final Schema treatments = Schemas.load(Schemas.TREATMENTS);

  /** @param loincTotals each measure's LOINC code of its total score ({@link #loincTotals}) */
  public TimelineRows(DeidRules rules, Map<String, String> loincTotals, String runId) {
    this.fullDates = rules.dateMode() == DeidRules.DateMode.SHIFT;
    this.ages = new Ages(rules);
    this.loincTotals = loincTotals;
    this.runId = runId;
  }

  /** Each measure's LOINC code of its total score, for measures that have one. */
  public static Map<String, String> loincTotals(MeasureCatalog catalog) {
    Map<String, String> loinc = new HashMap<>();
    catalog.measures().forEach((id, m) -> {
      if (m.total() != null) {
        loinc.put(id, m.total());
      }
    });
    return loinc;
  }

  public GenericRecord participant(Timeline t) {
    Integer age = ages.ageAt(t.birthDate(), t.indexDate(), t.ageCapDate());
    Integer lastDay = t.scores().stream().map(Timeline.Score::daysSinceIndex)
        .filter(Objects::nonNull).max(Integer::compare).orElse(null);
    return Rows.of(participants)
        .set("participant_id", t.participantId())
        .set("clinic", t.clinic())
        .set("sex", t.sex())
        .set("birth_year", ages.birthYear(t.birthDate(), age))
        .set("age_at_index", age)
        .set("zip3", t.zip3())
        .set("index_date", fullDates ? t.indexDate() : null)
        .set("infusions", t.treatments().size())
        .set("boosters", t.boosters())
        .set("last_observation_day", lastDay)
        .set("observations", t.scores().size())
        .set("run_id", runId)
        .build();
  }

  public GenericRecord observation(Timeline t, Timeline.Score s) {
    return Rows.of(observations)
        .set("participant_id", t.participantId())
        .set("clinic", t.clinic())
        .set("measure", s.measure())
        .set("loinc", loincTotals.get(s.measure()))
        .set("source_system", s.sourceSystem())
        .set("source_code", s.sourceCode())
        .set("score", s.score())
        .set("item_scores", new ArrayList<>(s.items()))
        .set("effective_date", fullDates ? s.date() : null)
        .set("effective_year", s.date().getYear())
        .set("days_since_index", s.daysSinceIndex())
        .set("record_id", s.recordId())
        .set("record_version", s.version().isEmpty() ? null : s.version())
        .set("run_id", runId)
        .build();
  }

  public List<GenericRecord> treatments(Timeline t) {
    List<GenericRecord> rows = new ArrayList<>(t.treatments().size());
    for (Timeline.Treatment tr : t.treatments()) {
      rows.add(Rows.of(treatments)
          .set("participant_id", t.participantId())
          .set("clinic", t.clinic())
          .set("record_id", tr.recordId())
          .set("medication_system", tr.system())
          .set("medication_code", tr.code())
          .set("administration_date", fullDates ? tr.date() : null)
          .set("days_since_index", tr.daysSinceIndex())
          .set("phase", tr.booster() ? "booster" : "initial")
          .set("sequence", tr.sequence())
          .set("run_id", runId)
          .build());
    }
    return rows;
  }
}
