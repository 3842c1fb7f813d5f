package org.longitude.deid;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.longitude.config.DeidRules;
import org.longitude.config.Source;
import org.longitude.config.Study;
import org.longitude.config.StudyKey;
import org.longitude.config.StudyLoader;
import org.longitude.demo.SyntheticStudy;
import org.longitude.pipeline.RunLayout;
import org.longitude.pipeline.StudyPipeline;
import org.longitude.operate.StudyRun;

/**
 * The pipeline side of {@link LeakTest}, run in its own JVM so that its logs are exactly a
 * run's logs (debug level, nothing from the clinic servers) and the key comes from the
 * environment as in production.
 *
 * <p>Arguments: output folder, date mode ({@code shift} or {@code year_only}), run id, then
 * {@code <clinic>=<base URL>} or {@code <clinic>=ndjson:<folder>} per clinic.
 */
public final class LeakRun {
  private LeakRun() {}

  public static void main(String[] args) throws Exception {
    Path output = Path.of(args[0]);
    DeidRules.DateMode mode = DeidRules.DateMode.parse(args[1]);
    String runId = args[2];
    Map<String, String> where = new HashMap<>();
    for (int i = 3; i < args.length; i++) {
      String[] kv = args[i].split("=", 2);
      where.put(kv[0], kv[1]);
    }
    Study demo = StudyLoader.load(StudyLoader.DEMO);
    List<Study.Clinic> clinics = new ArrayList<>();
    for (Study.Clinic c : demo.clinics()) {
      String to = where.get(c.id());
      clinics.add(c.withSource(to.startsWith("ndjson:")
          ? new Source(Source.Kind.NDJSON, null, null, to.substring("ndjson:".length()))
          : c.source().withBaseUrl(to)));
    }
    DeidRules r = demo.deid();
    DeidRules rules = new DeidRules(r.keyEnv(), r.keyFile(), mode, r.maxShiftDays(), r.ageCap(),
        r.restrictedZip3(), r.smallCellMax());
    Study study = new Study(demo.id(), demo.source(), clinics, demo.catalog(), rules,
        demo.cohort(), null, demo.viewsOrEmpty()); // the demo's views: every column scanned
    StudyKey key = StudyKey.resolve(rules, output, System.getenv());

    PipelineOptions options = PipelineOptionsFactory.create();
    options.setRunner(DirectRunner.class);
    RunLayout layout = new RunLayout(output, runId);
    layout.create();
    Pipeline pipeline = Pipeline.create(options);
    StudyPipeline.build(pipeline, study, key, layout, SyntheticStudy.REFERENCE_DATE);
    StudyRun.Result result = StudyRun.execute(pipeline, study, layout, Instant.now());
    System.out.print(result.summary().render());
    System.out.println("status " + result.status());
    System.exit(result.status().exitCode);
  }
}
