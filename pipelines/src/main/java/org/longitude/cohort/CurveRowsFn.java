package org.longitude.cohort;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.longitude.cohort.rules.KaplanMeier;
import org.longitude.cohort.rules.LandmarkStatus;
import org.longitude.common.Rows;
import org.longitude.common.Schemas;
import org.longitude.deid.SmallCells;

/** Fits one curve's Kaplan–Meier estimates and writes its survival and landmark rows. */
final class CurveRowsFn extends DoFn<KV<String, CurveCounts>, GenericRecord> {
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
  public void process(@Element KV<String, CurveCounts> curve, MultiOutputReceiver out) {
    String[] key = curve.getKey().split("\\|");
    CurveCounts counts = curve.getValue();
    double z = config.rules().confidenceZ();
    for (KaplanMeier.Row r : KaplanMeier.fit(counts.durability, z).rows()) {
      boolean suppressed = cells.isSmall(r.atRisk()) || cells.isSmall(r.events())
          || cells.isSmall(r.censored());
      out.get(ComputeCohorts.SURVIVAL).output(Rows.of(survival)
          .set("condition", key[0]).set("measure", key[1]).set("stratum", key[2])
          .set("day", r.day())
          .set("at_risk", cells.show(r.atRisk()))
          .set("events", cells.show(r.events()))
          .set("censored", cells.show(r.censored()))
          .set("survival", r.survival())
          .set("ci_lower", r.ciLower())
          .set("ci_upper", r.ciUpper())
          .set("suppressed", suppressed)
          .set("run_id", runId)
          .build());
    }
    KaplanMeier sinceIndex = KaplanMeier.fitDelayedEntry(counts.sinceIndex, z);
    for (int months : config.rules().landmarkMonths()) {
      int day = config.rules().landmarkDay(months);
      long relapseFree = counts.landmark(months, LandmarkStatus.RELAPSE_FREE);
      long evaluable = relapseFree + counts.landmark(months, LandmarkStatus.RELAPSED);
      long lost = counts.landmark(months, LandmarkStatus.LOST);
      boolean suppressed = cells.isSmall(relapseFree) || cells.isSmall(evaluable)
          || cells.isSmall(lost) || cells.isSmall(evaluable - relapseFree);
      KaplanMeier.Estimate estimate = sinceIndex.lastDay() == null ? null : sinceIndex.at(day);
      boolean known = estimate != null && day <= sinceIndex.lastDay();
      out.get(ComputeCohorts.LANDMARKS).output(Rows.of(landmarks)
          .set("condition", key[0]).set("measure", key[1]).set("stratum", key[2])
          .set("months", months).set("day", day)
          .set("relapse_free", suppressed ? null : relapseFree)
          .set("evaluable", suppressed ? null : evaluable)
          .set("lost", suppressed ? null : lost)
          .set("km_estimate", known ? estimate.survival() : null)
          .set("ci_lower", known ? estimate.ciLower() : null)
          .set("ci_upper", known ? estimate.ciUpper() : null)
          .set("suppressed", suppressed)
          .set("run_id", runId)
          .build());
    }
  }
}
