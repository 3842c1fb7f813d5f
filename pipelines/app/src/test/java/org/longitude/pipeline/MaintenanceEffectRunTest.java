package org.longitude.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.longitude.cohort.rules.CoxData;
import org.longitude.cohort.rules.CoxFit;
import org.longitude.cohort.rules.CoxModel;
import org.longitude.cohort.rules.CoxSettings;
import org.longitude.common.Schemas;
import org.longitude.config.Source;
import org.longitude.config.Study;
import org.longitude.config.StudyKey;
import org.longitude.config.StudyLoader;
import org.longitude.demo.BoosterScenario;
import org.longitude.demo.ClinicDataset;
import org.longitude.demo.NdjsonExport;
import org.longitude.demo.SyntheticStudy;
import org.longitude.operate.StudyRun;
import org.longitude.testing.LocalFlink;

/**
 * Through FHIR (three clinics' NDJSON exports, the whole pipeline on Flink's embedded cluster):
 * studies whose truth about maintenance is known, with severity driving both boosters and
 * relapse. The published adjusted time-varying hazard ratio's interval covers the truth; the
 * unadjusted one lies further from it (confounded by severity), and the naive any-booster
 * comparison that Longitude no longer publishes, even adjusted for severity, claims more
 * benefit than there is (immortal time).
 */
class MaintenanceEffectRunTest {
  private static final StudyKey KEY = StudyKey.of("maintenance-effect-test-key-32-b!".getBytes());
  private static final int PER_CLINIC = 600;

  @Test
  void noEffect(@TempDir Path exports, @TempDir Path output) throws Exception {
    check(run(new BoosterScenario(1.0), exports, output), 1.0);
  }

  @Test
  void boostersHalveTheHazard(@TempDir Path exports, @TempDir Path output) throws Exception {
    Estimates e = run(new BoosterScenario(0.5), exports, output);
    check(e, 0.5);
    assertTrue(e.adjusted[2] < 1, "the benefit is found: " + format(e.adjusted));
  }

  private static void check(Estimates e, double truth) {
    String all = "adjusted " + format(e.adjusted) + ", unadjusted " + format(e.unadjusted)
        + ", naive " + format(e.naive) + ", truth " + truth;
    System.out.println("maintenance effect run: " + all);
    assertTrue(e.adjusted[1] <= truth && truth <= e.adjusted[2], "covers the truth: " + all);
    double adjustedError = Math.abs(Math.log(e.adjusted[0] / truth));
    assertTrue(Math.abs(Math.log(e.unadjusted[0] / truth)) > adjustedError, all);
    assertTrue(e.naive[2] < truth, "immortal time: " + all);
  }

  /** Hazard ratio, lower and upper bound of each analysis of depression. */
  private record Estimates(double[] adjusted, double[] unadjusted, double[] naive) {}

  private static Estimates run(BoosterScenario scenario, Path exports, Path output)
      throws Exception {
    SyntheticStudy synthetic = SyntheticStudy.generate(29, PER_CLINIC, scenario);
    Study demo = StudyLoader.load(StudyLoader.DEMO);
    List<Study.Clinic> clinics = new ArrayList<>();
    for (Study.Clinic c : demo.clinics()) {
      ClinicDataset data = synthetic.clinic(c.id());
      Path dir = exports.resolve(c.id());
      NdjsonExport.write(data, dir);
      clinics.add(c.withSource(new Source(Source.Kind.NDJSON, null, null, dir.toString())));
    }
    StudyRun.Result result = StudyRun.run(demo.withClinics(clinics), KEY, output,
        LocalFlink.options(2),
        "effect", SyntheticStudy.REFERENCE_DATE);
    assertEquals(StudyRun.Status.SUCCESS, result.status());

    Path research = result.layout().research();
    double[] adjusted = null;
    double[] unadjusted = null;
    for (GenericRecord r : ParquetTables.read(research, Schemas.COMPARISONS)) {
      if (r.get("condition").toString().equals("depression") && r.get("term") != null
          && r.get("term").toString().equals("maintenance")
          && r.get("test").toString().equals("wald_z")) {
        double[] hr = {(double) r.get("hazard_ratio"), (double) r.get("ci_lower"),
            (double) r.get("ci_upper")};
        if (r.get("analysis").toString().endsWith("_adjusted")) {
          adjusted = hr;
        } else {
          unadjusted = hr;
        }
      }
    }
    return new Estimates(adjusted, unadjusted, naive(research));
  }

  /**
   * The biased comparison Longitude no longer publishes: any booster ever (after the relapse
   * too) as a fixed group from first response; adjusted for baseline severity, so that what is
   * left is its immortal time.
   */
  private static double[] naive(Path research) throws Exception {
    List<double[]> rows = new ArrayList<>();
    for (GenericRecord r : ParquetTables.read(research, Schemas.OUTCOMES)) {
      if (r.get("condition").toString().equals("depression") && r.get("relapsed") != null
          && (int) r.get("durability_days") > 0) {
        rows.add(new double[] {(int) r.get("durability_days"),
            (boolean) r.get("relapsed") ? 1 : 0, (int) r.get("boosters") > 0 ? 1 : 0,
            (int) r.get("baseline_score")});
      }
    }
    double[] time = rows.stream().mapToDouble(x -> x[0]).toArray();
    boolean[] event = new boolean[rows.size()];
    double[][] x = new double[rows.size()][2];
    for (int i = 0; i < rows.size(); i++) {
      event[i] = rows.get(i)[1] == 1;
      x[i][0] = rows.get(i)[2];
      x[i][1] = rows.get(i)[3];
    }
    CoxFit fit = CoxModel.fit(CoxData.rightCensored(List.of("any_booster", "baseline_score"),
        time, event, new int[time.length], x), CoxSettings.defaults());
    double z = 1.959963984540054;
    return new double[] {fit.hazardRatio(0), fit.hazardRatioLower(0, z),
        fit.hazardRatioUpper(0, z)};
  }

  private static String format(double[] hr) {
    return String.format("%.3f (%.3f-%.3f)", hr[0], hr[1], hr[2]);
  }
}
