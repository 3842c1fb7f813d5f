package org.longitude.cohort;

import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.longitude.cohort.rules.KaplanMeier;
import org.longitude.cohort.rules.LandmarkStatus;
import org.longitude.release.CurveRows.LandmarkCounts;
import org.longitude.release.CurveRows;
import org.longitude.release.SmallCells;

/**
 * Fits the Kaplan–Meier estimates of one condition and measure, for every stratum ({@code all}
 * from first response; each landmark group from the landmark on), and has their survival and
 * landmark rows released ({@link CurveRows}: {@code all}'s counts are withheld wherever a
 * group's are small).
 */
final class CurveRowsFn extends DoFn<KV<String, StrataCounts>, GenericRecord> {
  private final CohortConfig config;
  private final SmallCells cells;
  private final String runId;
  private transient CurveRows rows;

  CurveRowsFn(CohortConfig config, SmallCells cells, String runId) {
    this.config = config;
    this.cells = cells;
    this.runId = runId;
  }

  @Setup
  public void setup() {
    rows = new CurveRows(cells, runId);
  }

  @ProcessElement
  public void process(@Element KV<String, StrataCounts> curve, MultiOutputReceiver out) {
    String[] key = curve.getKey().split("\\|");
    Map<String, CurveCounts> strata = curve.getValue().byStratum;
    strata.forEach((stratum, counts) -> {
      // The parts of all: every other stratum (none for a part).
      List<CurveCounts> parts = !stratum.equals(StrataCounts.ALL) ? List.of()
          : strata.entrySet().stream().filter(p -> !p.getKey().equals(stratum))
              .map(Map.Entry::getValue).toList();
      survivalRows(key[0], key[1], stratum, counts, parts, out);
      landmarkRows(key[0], key[1], stratum, counts, parts, out);
    });
  }

  private void survivalRows(String condition, String measure, String stratum, CurveCounts counts,
      List<CurveCounts> parts, MultiOutputReceiver out) {
    double z = config.rules().confidenceZ();
    KaplanMeier curve = counts.delayedEntry() ? KaplanMeier.fitDelayedEntry(counts.durability, z)
        : KaplanMeier.fit(counts.durability, z);
    for (KaplanMeier.Row r : curve.rows()) {
      List<Long> partsAtRisk = parts.stream().map(p -> p.atRisk(r.day())).toList();
      out.get(ComputeCohorts.SURVIVAL).output(
          rows.survival(condition, measure, stratum, r, partsAtRisk));
    }
  }

  private void landmarkRows(String condition, String measure, String stratum, CurveCounts counts,
      List<CurveCounts> parts, MultiOutputReceiver out) {
    KaplanMeier sinceIndex = KaplanMeier.fitDelayedEntry(counts.sinceIndex,
        config.rules().confidenceZ());
    for (int months : config.rules().landmarkMonths()) {
      int day = config.rules().landmarkDay(months);
      KaplanMeier.Estimate estimate = sinceIndex.lastDay() == null ? null : sinceIndex.at(day);
      boolean known = estimate != null && day <= sinceIndex.lastDay();
      out.get(ComputeCohorts.LANDMARKS).output(rows.landmark(condition, measure, stratum,
          months, day, landmarkCounts(counts, months),
          parts.stream().map(p -> landmarkCounts(p, months)).toList(),
          known ? estimate : null));
    }
  }

  private static LandmarkCounts landmarkCounts(CurveCounts counts, int months) {
    return new LandmarkCounts(counts.landmark(months, LandmarkStatus.RELAPSE_FREE),
        counts.landmark(months, LandmarkStatus.RELAPSED),
        counts.landmark(months, LandmarkStatus.LOST));
  }
}
