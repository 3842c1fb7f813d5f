package org.longitude.release;

import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.longitude.cohort.rules.KaplanMeier;
import org.longitude.common.Schemas;

/**
 * The {@code survival} and {@code landmarks} rows of a curve. Counts from 1 to the threshold are
 * withheld, and so are a whole group's counts ({@code all}) wherever one of its parts' counts
 * is small: {@code all} minus one part would give the other back. Not thread-safe.
 */
public final class CurveRows {
  private final SmallCells cells;
  private final String runId;
  private final Schema survival = Schemas.load(Schemas.SURVIVAL);
  private final Schema landmarks = Schemas.load(Schemas.LANDMARKS);

  public CurveRows(SmallCells cells, String runId) {
    this.cells = cells;
    this.runId = runId;
  }

  /** A landmark's counts of one stratum: relapse-free, relapsed and lost to follow-up. */
  public record LandmarkCounts(long relapseFree, long relapsed, long lost) {}

  /**
   * @param partsAtRisk for a whole group, the number at risk of each of its parts on the row's
   *     day; empty for a part
   */
  public GenericRecord survival(String condition, String measure, String stratum,
      KaplanMeier.Row r, List<Long> partsAtRisk) {
    boolean hideAtRisk = cells.isSmall(r.atRisk()) || partsAtRisk.stream().anyMatch(
        cells::isSmall);
    boolean suppressed = hideAtRisk || cells.isSmall(r.events()) || cells.isSmall(r.censored());
    return Rows.of(survival)
        .set("condition", condition).set("measure", measure).set("stratum", stratum)
        .set("day", r.day())
        .set("at_risk", hideAtRisk ? null : r.atRisk())
        .set("events", cells.show(r.events()))
        .set("censored", cells.show(r.censored()))
        .set("survival", r.survival())
        .set("ci_lower", r.ciLower())
        .set("ci_upper", r.ciUpper())
        .set("suppressed", suppressed)
        .set("run_id", runId)
        .build();
  }

  /**
   * @param parts for a whole group, its parts' counts at the same landmark; empty for a part
   * @param estimate the Kaplan–Meier estimate on the landmark day, or null where the curve does
   *     not reach it
   */
  public GenericRecord landmark(String condition, String measure, String stratum, int months,
      int day, LandmarkCounts counts, List<LandmarkCounts> parts,
      KaplanMeier.Estimate estimate) {
    boolean suppressed = isSmall(counts) || parts.stream().anyMatch(this::isSmall);
    return Rows.of(landmarks)
        .set("condition", condition).set("measure", measure).set("stratum", stratum)
        .set("months", months).set("day", day)
        .set("relapse_free", suppressed ? null : counts.relapseFree())
        .set("evaluable", suppressed ? null : counts.relapseFree() + counts.relapsed())
        .set("lost", suppressed ? null : counts.lost())
        .set("km_estimate", estimate != null ? estimate.survival() : null)
        .set("ci_lower", estimate != null ? estimate.ciLower() : null)
        .set("ci_upper", estimate != null ? estimate.ciUpper() : null)
        .set("suppressed", suppressed)
        .set("run_id", runId)
        .build();
  }

  /** Whether any count of a landmark row (or its complement) is small. */
  private boolean isSmall(LandmarkCounts c) {
    return cells.isSmall(c.relapseFree()) || cells.isSmall(c.relapsed())
        || cells.isSmall(c.lost()) || cells.isSmall(c.relapseFree() + c.relapsed());
  }
}
