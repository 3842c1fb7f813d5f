package org.longitude.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.longitude.common.Schemas;
import org.longitude.release.Rows;
import org.longitude.release.SummaryTables;

/**
 * A small run's research tables, written as Parquet with the real schemas: enough rows for
 * every chart, with suppressed cells and a hostile clinic name among them.
 */
final class ResearchFixture {
  static final String RUN = "fixture-run";
  static final String HOSTILE = "<script>alert('x')</script>";

  private ResearchFixture() {}

  static void write(Path research) throws IOException {
    List<GenericRecord> survival = new ArrayList<>();
    Schema s = Schemas.load(Schemas.SURVIVAL);
    // all from first response; the landmark groups from the landmark (day 60) on.
    for (String stratum : List.of("all", "maintenance", "none")) {
      boolean all = stratum.equals("all");
      long atRisk = all ? 60 : 30;
      double surv = 1;
      for (int day = all ? 20 : 60; day <= 400; day += 20) {
        long events = day % 40 == 0 ? 2 : 0;
        long censored = 1;
        surv *= 1 - (double) events / atRisk;
        boolean small = atRisk <= 10;
        survival.add(Rows.of(s).set("condition", "depression").set("measure", "PHQ9")
            .set("stratum", stratum).set("day", day)
            .set("at_risk", small ? null : atRisk)
            .set("events", null).set("censored", null)
            .set("survival", surv)
            .set("ci_lower", Math.max(0, surv - 0.1)).set("ci_upper", Math.min(1, surv + 0.05))
            .set("suppressed", true).set("run_id", RUN).build());
        atRisk -= events + censored;
      }
    }
    table(research, Schemas.SURVIVAL, survival);
    comparison(research);

    Schema l = Schemas.load(Schemas.LANDMARKS);
    List<GenericRecord> landmarks = new ArrayList<>();
    int[] months = {3, 6, 12};
    for (int i = 0; i < months.length; i++) {
      boolean known = months[i] < 12;
      landmarks.add(Rows.of(l).set("condition", "depression").set("measure", "PHQ9")
          .set("stratum", "all").set("months", months[i]).set("day", (int) (months[i] * 30.4375))
          .set("relapse_free", i == 0 ? 40L : null).set("evaluable", i == 0 ? 50L : null)
          .set("lost", i == 0 ? 12L : null)
          .set("km_estimate", known ? 0.8 - 0.2 * i : null)
          .set("ci_lower", known ? 0.7 - 0.2 * i : null)
          .set("ci_upper", known ? 0.88 - 0.2 * i : null)
          .set("suppressed", i > 0).set("run_id", RUN).build());
    }
    table(research, Schemas.LANDMARKS, landmarks);

    Schema c = Schemas.load(Schemas.COURSE_OUTCOMES);
    table(research, Schemas.COURSE_OUTCOMES, List.of(
        Rows.of(c).set("condition", "depression").set("measure", "PHQ9").set("metric", "response")
            .set("numerator", 30L).set("denominator", 60L).set("rate", 0.5)
            .set("ci_lower", 0.376).set("ci_upper", 0.624).set("suppressed", false)
            .set("run_id", RUN).build(),
        Rows.of(c).set("condition", "depression").set("measure", "PHQ9")
            .set("metric", "remission").set("numerator", null).set("denominator", null)
            .set("rate", null).set("ci_lower", null).set("ci_upper", null)
            .set("suppressed", true).set("run_id", RUN).build()));

    Schema a = Schemas.load(Schemas.ATTRITION);
    table(research, Schemas.ATTRITION, List.of(
        attrition(a, 1, "pulled", 80L, null, null, false),
        attrition(a, 2, "with_index", 75L, null, "NO_INDEX", true),
        attrition(a, 3, "eligible_with_follow_up", 60L, 15L, "NO_FOLLOW_UP", false)));

    Schema o = Schemas.load(Schemas.OBSERVATIONS);
    List<GenericRecord> observations = new ArrayList<>();
    for (int p = 0; p < 15; p++) {
      for (int day : new int[] {-5, 14, 45, 75}) {
        observations.add(Rows.of(o).set("participant_id", "p" + p).set("clinic", "north")
            .set("measure", "PHQ9").set("loinc", "44261-6").set("source_system", "http://loinc.org")
            .set("source_code", "44261-6").set("score", Math.max(0, 20 - day / 10 - p % 5))
            .set("item_scores", List.of()).set("effective_date", null)
            .set("effective_year", 2024).set("days_since_index", day)
            .set("record_id", "r" + p + "-" + day).set("record_version", "1")
            .set("run_id", RUN).build());
      }
    }
    table(research, Schemas.OBSERVATIONS, observations);

    // As SummaryTables withholds them: 6 and 4 are small, and written (90) would give their
    // sum back; a clinic with 7 patients has its Patient counts withheld.
    Schema r = Schemas.load(Schemas.RUN_SUMMARY);
    List<GenericRecord> summary = new ArrayList<>();
    for (String[] row : new String[][] {{"Observation", "read", null, "100"},
        {"Observation", "written", null, null}, {"Observation", "filtered", "DUPLICATE", null},
        {"Observation", "quarantined", "FUTURE_DATE", null}, {"Patient", "read", null, null},
        {"Patient", "written", null, null}}) {
      summary.add(Rows.of(r).set("run_id", RUN).set("clinic", "north")
          .set("resource_type", row[0]).set("outcome", row[1]).set("reason", row[2])
          .set("records", row[3] == null ? null : Long.parseLong(row[3]))
          .set("suppressed", row[3] == null).set("clinic_status", "ok").build());
    }
    table(research, Schemas.RUN_SUMMARY, summary);

    Schema q = Schemas.load(Schemas.QUARANTINE);
    table(research, Schemas.QUARANTINE, List.of(Rows.of(q).set("clinic", HOSTILE)
        .set("resource_type", "Observation").set("reason", "FUTURE_DATE").set("measure", "PHQ9")
        .set("stage", "normalize").set("records", null).set("suppressed", true)
        .set("run_id", RUN).build()));
  }

  /** The maintenance comparison of depression: an estimable adjusted model and one refusal. */
  private static void comparison(Path research) throws IOException {
    Schema w = Schemas.load(Schemas.WEIGHTED_SURVIVAL);
    List<GenericRecord> weighted = new ArrayList<>();
    for (String group : List.of("maintenance", "none")) {
      double surv = 1;
      for (int day = 80; day <= 400; day += 40) {
        surv *= group.equals("none") ? 0.85 : 0.93;
        weighted.add(Rows.of(w).set("condition", "depression").set("measure", "PHQ9")
            .set("stratum", group).set("landmark_day", 60).set("day", day)
            .set("survival", surv).set("std_error", 0.04)
            .set("ci_lower", surv - 0.08).set("ci_upper", Math.min(1, surv + 0.07))
            .set("run_id", RUN).build());
      }
    }
    table(research, Schemas.WEIGHTED_SURVIVAL, weighted);

    Schema c = Schemas.load(Schemas.COMPARISONS);
    List<GenericRecord> rows = new ArrayList<>();
    String adjusted = "cox_time_varying_adjusted";
    rows.add(term(c, adjusted, "maintenance", 0.48, 0.31, 0.74, 0.0009));
    rows.add(term(c, adjusted, "baseline_score", 1.05, 1.01, 1.09, 0.012));
    rows.add(Rows.of(c).set("condition", "depression").set("measure", "PHQ9")
        .set("analysis", adjusted).set("term", "initial_infusions").set("test", "wald_z")
        .set("participants", null).set("events", null).set("estimable", false)
        .set("reason", "SPARSE").set("run_id", RUN).build());
    rows.add(Rows.of(c).set("condition", "depression").set("measure", "PHQ9")
        .set("analysis", "logrank_landmark").set("term", "maintenance").set("test", "logrank")
        .set("statistic", 9.5).set("df", 1).set("p_value", 0.002).set("participants", 60L)
        .set("events", 31L).set("estimable", true).set("run_id", RUN).build());
    table(research, Schemas.COMPARISONS, rows);

    Schema ph = Schemas.load(Schemas.PH_CHECKS);
    table(research, Schemas.PH_CHECKS, List.of(Rows.of(ph).set("condition", "depression")
        .set("measure", "PHQ9").set("analysis", adjusted).set("term", "maintenance")
        .set("chi_square", 4.2).set("df", 1).set("p_value", 0.0404).set("run_id", RUN).build()));

    Schema b = Schemas.load(Schemas.BALANCE);
    table(research, Schemas.BALANCE, List.of(Rows.of(b).set("condition", "depression")
        .set("measure", "PHQ9").set("covariate", "baseline_score").set("mean_maintenance", 18.1)
        .set("mean_none", 16.9).set("weighted_mean_maintenance", 17.4)
        .set("weighted_mean_none", 17.5).set("smd_unweighted", 0.27).set("smd_weighted", -0.02)
        .set("participants_maintenance", 28L).set("participants_none", 29L)
        .set("suppressed", false).set("run_id", RUN).build()));
  }

  private static GenericRecord term(Schema c, String analysis, String term, double hr,
      double lo, double hi, double p) {
    return Rows.of(c).set("condition", "depression").set("measure", "PHQ9")
        .set("analysis", analysis).set("term", term).set("test", "wald_z")
        .set("coefficient", Math.log(hr)).set("hazard_ratio", hr).set("ci_lower", lo)
        .set("ci_upper", hi).set("std_error", 0.2).set("statistic", Math.log(hr) / 0.2)
        .set("p_value", p).set("participants", 61L).set("events", 40L).set("estimable", true)
        .set("run_id", RUN).build();
  }

  private static GenericRecord attrition(Schema a, int order, String step, Long participants,
      Long excluded, String reason, boolean suppressed) {
    return Rows.of(a).set("condition", "depression").set("step_order", order).set("step", step)
        .set("participants", participants).set("excluded", excluded).set("reason", reason)
        .set("suppressed", suppressed).set("run_id", RUN).build();
  }

  private static void table(Path research, String table, List<GenericRecord> rows)
      throws IOException {
    Path file = Files.createDirectories(research.resolve(table)).resolve(table + ".parquet");
    try (ParquetWriter<GenericRecord> writer = AvroParquetWriter
        .<GenericRecord>builder(new LocalOutputFile(file))
        .withSchema(Schemas.load(table))
        .withCompressionCodec(CompressionCodecName.SNAPPY)
        .config("parquet.avro.write-old-list-structure", "false")
        .build()) {
      for (GenericRecord row : rows) {
        writer.write(row);
      }
    }
  }
}
