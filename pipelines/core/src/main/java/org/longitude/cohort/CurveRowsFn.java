package org.longitude.cohort;

import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.longitude.cohort.rules.KaplanMeier;
import org.longitude.cohort.rules.LandmarkStatus;
import org.longitude.common.Rows;
import org.longitude.common.Schemas;
import org.longitude.deid.SmallCells;

/**
 * Fits the Kaplan–Meier estimates of one condition and measure, for every stratum ({@code all}
 * from first response; each landmark group from the landmark on), and writes their survival and
 * landmark rows. Counts from 1 to the threshold are withheld, and so are {@code all}'s counts
 * wherever a group's are small: {@code all} minus one group would give the other back.
 */
final class CurveRowsFn extends DoFn<KV<String, StrataCounts>, GenericRecord> {
  private final CohortConfig config;
  private final SmallCells cells;
  private final String runId;
  private transient Schema survival;
  private transient Schema landmarks;

  CurveRowsFn(CohortConfig config, SmallCells cells, String runId) {
    this.config = config;
    this.cells = cells;
    this.runId = runId;
  }

  @Setup
  public void setup() {
    survival = Schemas.load(Schemas.SURVIVAL);
    landmarks = Schemas.load(Schemas.LANDMARKS);
  }

  @ProcessElement
  public void process(@Element KV<String, StrataCounts> curve, MultiOutputReceiver out) {
    String[] key = curve.getKey().split("\\|");
    Map<String, CurveCounts> strata = curve.getValue().byStratum;
    strata.forEach((stratum, counts) -> {
      boolean all = stratum.equals(StrataCounts.ALL);
      survivalRows(key[0], key[1], stratum, counts, all ? strata : Map.of(), out);
      landmarkRows(key[0], key[1], stratum, counts, all ? strata : Map.of(), out);
    });
  }

  /** @param parts for {@code all}: the strata it sums, whose small counts it must not reveal */
  private void survivalRows(String condition, String measure, String stratum, CurveCounts counts,
      Map<String, CurveCounts> parts, MultiOutputReceiver out) {
    double z = config.rules().confidenceZ();
    KaplanMeier curve = counts.delayedEntry() ? KaplanMeier.fitDelayedEntry(counts.durability, z)
        : KaplanMeier.fit(counts.durability, z);
    for (KaplanMeier.Row r : curve.rows()) {
      boolean hideAtRisk = cells.isSmall(r.atRisk()) || parts.entrySet().stream().anyMatch(
          p -> !p.getKey().equals(stratum) && cells.isSmall(p.getValue().atRisk(r.day())));
      boolean suppressed = hideAtRisk || cells.isSmall(r.events()) || cells.isSmall(r.censored());
      out.get(ComputeCohorts.SURVIVAL).output(Rows.of(survival)
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
          .build());
    }
  }

  private void landmarkRows(String condition, String measure, String stratum, CurveCounts counts,
      Map<String, CurveCounts> parts, MultiOutputReceiver out) {
    KaplanMeier sinceIndex = KaplanMeier.fitDelayedEntry(counts.sinceIndex,
        config.rules().confidenceZ());
    for (int months : config.rules().landmarkMonths()) {
      int day = config.rules().landmarkDay(months);
      boolean suppressed = smallLandmark(counts, months) || parts.entrySet().stream().anyMatch(
          p -> !p.getKey().equals(stratum) && smallLandmark(p.getValue(), months));
      long relapseFree = counts.landmark(months, LandmarkStatus.RELAPSE_FREE);
      long relapsed = counts.landmark(months, LandmarkStatus.RELAPSED);
      KaplanMeier.Estimate estimate = sinceIndex.lastDay() == null ? null : sinceIndex.at(day);
      boolean known = estimate != null && day <= sinceIndex.lastDay();
      out.get(ComputeCohorts.LANDMARKS).output(Rows.of(landmarks)
          .set("condition", condition).set("measure", measure).set("stratum", stratum)
          .set("months", months).set("day", day)
          .set("relapse_free", suppressed ? null : relapseFree)
          .set("evaluable", suppressed ? null : relapseFree + relapsed)
          .set("lost", suppressed ? null : counts.landmark(months, LandmarkStatus.LOST))
          .set("km_estimate", known ? estimate.survival() : null)
          .set("ci_lower", known ? estimate.ciLower() : null)
          .set("ci_upper", known ? estimate.ciUpper() : null)
          .set("suppressed", suppressed)
          .set("run_id", runId)
          .build());
    }
  }

  /** Whether any count of a landmark row (or its complement) is small. */
  private boolean smallLandmark(CurveCounts counts, int months) {
    long relapseFree = counts.landmark(months, LandmarkStatus.RELAPSE_FREE);
    long relapsed = counts.landmark(months, LandmarkStatus.RELAPSED);
    long lost = counts.landmark(months, LandmarkStatus.LOST);
    return cells.isSmall(relapseFree) || cells.isSmall(relapsed) || cells.isSmall(lost)
        || cells.isSmall(relapseFree + relapsed);
  }
}
