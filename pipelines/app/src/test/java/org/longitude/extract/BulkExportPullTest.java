package org.longitude.extract;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.TestPipeline;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.longitude.config.Source;
import org.longitude.config.SourceAuth;
import org.longitude.config.Study;
import org.longitude.config.StudyKey;
import org.longitude.config.StudyLoader;
import org.longitude.demo.ClinicServerOptions;
import org.longitude.demo.DemoClinic;
import org.longitude.demo.DemoClinics;
import org.longitude.demo.DemoStudy;
import org.longitude.demo.ExportPlan;
import org.longitude.demo.ServerAuth;
import org.longitude.demo.SyntheticStudy;
import org.longitude.pipeline.RunLayout;
import org.longitude.pipeline.RunSummary;
import org.longitude.pipeline.StudyPipeline;
import org.longitude.operate.StudyRun;
import org.longitude.release.SmallCells;

/**
 * Pulls by FHIR Bulk Data {@code $export} from embedded clinics over real HTTP: every resource
 * lands once, Binary files and auth work, and hostile or failing exports fail the clinic with
 * a clear reason while other clinics still flow.
 */
public class BulkExportPullTest {
  private static final String HARBOR = "harbor";
  private static final String TOKEN = "bulk-export-test-token-5150";
  private static SyntheticStudy synthetic;
  private static Study demo;

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final TemporaryFolder temp = new TemporaryFolder();

  @BeforeClass
  public static void generate() {
    synthetic = SyntheticStudy.generate(5, 8);
    demo = StudyLoader.load(StudyLoader.DEMO);
  }

  private static DemoClinic harbor(ExportPlan plan) {
    return harbor(ClinicServerOptions.defaults().withExport(plan));
  }

  private static DemoClinic harbor(ClinicServerOptions options) {
    return DemoClinic.start(synthetic.clinic(HARBOR), options);
  }

  /** The demo study with harbor alone, pulled from {@code source}. */
  private static Study harborStudy(Source source) {
    return demo.withClinics(List.of(demo.clinicsById().get(HARBOR).withSource(source)));
  }

  /** What a run of the extract stage alone produced: its summed ledger, and its metrics. */
  private record Extracted(Map<String, Long> ledger, PipelineResult result) {
    long failures() {
      return ExtractLedger.count(ledger, "FAILED|" + HARBOR);
    }

    long exportErrors() {
      long total = 0;
      for (MetricResult<Long> c : result.metrics().queryMetrics(MetricsFilter.builder()
          .addNameFilter(MetricNameFilter.named(Extract.CLINICS_NAMESPACE,
              HARBOR + "|export_errors")).build()).getCounters()) {
        total += c.getAttempted();
      }
      return total;
    }
  }

  /**
   * Runs the extract stage alone, landing under {@code landing}, then deletes its export jobs
   * as a run does when its pipeline has finished.
   */
  private Extracted extract(Study study, Path landing) throws IOException {
    Path ledger = temp.newFolder().toPath();
    ExtractLedger.write(pipeline.apply(Extract.from(study).withLanding(landing.toString())),
        ledger);
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    Map<String, Long> entries = ExtractLedger.read(ledger);
    BulkExport.deleteJobs(study, RunSummary.from(entries, "extract", List.of(HARBOR),
        new SmallCells(10)).exportJobs(), Instant.now());
    return new Extracted(entries, result);
  }

  private static void assertLandedOnce(Study study, Path landing, String clinic)
      throws IOException {
    for (String type : Study.TIMELINE_TYPES) {
      List<String> landed = LandedResources.landedIds(landing.resolve(clinic), type);
      assertEquals(clinic + "/" + type + " repeats", new HashSet<>(landed).size(),
          landed.size());
      Set<String> expected = LandedResources.expected(synthetic, study, clinic, type);
      assertFalse(clinic + "/" + type + " is served", expected.isEmpty());
      assertEquals(clinic + "/" + type, expected, new HashSet<>(landed));
    }
  }

  private static long landedCount(Path landing, String clinic) throws IOException {
    long n = 0;
    for (String type : Study.TIMELINE_TYPES) {
      n += LandedResources.landedIds(landing.resolve(clinic), type).size();
    }
    return n;
  }

  @Test
  public void exportLandsEveryResourceOnceAfterPollingAndDeletesTheJob() throws Exception {
    try (DemoClinic clinic = harbor(ExportPlan.defaults().exportOnly().withPolls(2, 1)
        .withResourcesPerFile(5))) {
      HttpResponse<Void> search = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create(clinic.baseUrl() + "/Patient")).build(),
          HttpResponse.BodyHandlers.discarding());
      assertEquals("an export-only clinic refuses searches", 404, search.statusCode());
      Study study = harborStudy(Source.bulkExport(clinic.baseUrl()));
      Path landing = temp.newFolder("landing").toPath();
      Instant before = Instant.now();

      Extracted result = extract(study, landing);

      assertLandedOnce(study, landing, HARBOR);
      assertEquals(0, result.failures());
      assertEquals(1, clinic.exportJobsStarted());
      assertEquals("two polls in progress, then the manifest", 3, clinic.exportStatusPolls());
      assertEquals(1, clinic.exportJobsDeleted());
      List<Long> marks = result.ledger().keySet().stream()
          .filter(k -> k.startsWith("HIGH_WATER_MARK|" + HARBOR + "|"))
          .map(k -> Long.parseLong(k.substring(k.lastIndexOf('|') + 1))).toList();
      assertEquals(1, marks.size());
      long mark = marks.get(0);
      assertTrue("transactionTime is the server's kick-off time",
          mark >= before.toEpochMilli() - 1000 && mark <= Instant.now().toEpochMilli());
    }
  }

  @Test
  public void binaryFilesFetchedWithTheBearerTokenLandEverything() throws Exception {
    ClinicServerOptions options = ClinicServerOptions.defaults()
        .withAuth(ServerAuth.bearer(TOKEN))
        .withExport(ExportPlan.defaults().exportOnly().binaryOnly().withResourcesPerFile(7));
    try (DemoClinic clinic = harbor(options)) {
      Path tokenFile = temp.newFile("token").toPath();
      Files.writeString(tokenFile, TOKEN + "\n");
      Study study = harborStudy(Source.bulkExport(clinic.baseUrl())
          .withAuth(SourceAuth.bearer(null, tokenFile.toString())));
      Path landing = temp.newFolder("landing").toPath();

      Extracted result = extract(study, landing);

      assertLandedOnce(study, landing, HARBOR);
      assertEquals(0, result.failures());
      assertEquals(1, clinic.exportJobsDeleted());
    }
  }

  @Test
  public void pollDeadlineExceededFailsTheClinicAndCancelsTheJob() throws Exception {
    try (DemoClinic clinic = harbor(ExportPlan.defaults().exportOnly().withPolls(1000, 1))) {
      Source source = Source.bulkExport(clinic.baseUrl()).withPollDeadline("2");
      Study study = harborStudy(source);
      PullTask task = new PullTask(HARBOR, source, "$export",
          Extract.exportQuery(study, study.clinics().get(0)), null);
      BulkExportClient client = new BulkExportClient(FhirHttp.defaults());
      List<String> progress = new ArrayList<>();
      String status = client.kickOff(task);

      BulkExportClient.DeadlineException e = assertThrows(BulkExportClient.DeadlineException.class,
          () -> client.awaitManifest(status, source.pollDeadlineOrDefault(), progress::add));

      assertTrue(e.getMessage(), e.getMessage().contains("did not finish within the poll "
          + "deadline PT2S"));
      assertEquals("preparing files (1 of 1000 polls)", progress.get(0));
      Path landing = temp.newFolder("landing").toPath();
      Extracted result = extract(study, landing);
      assertEquals(1, result.failures());
      assertEquals(0, landedCount(landing, HARBOR));
      assertEquals("the pipeline's job is cancelled", 1, clinic.exportJobsDeleted());
    }
  }

  @Test
  public void fileUrlInTheManifestIsRefused() throws Exception {
    Path secret = temp.newFolder("not-for-the-pull").toPath();
    try (DemoClinic clinic = harbor(ExportPlan.defaults().withFileBase(secret.toUri()
        .toString()))) {
      Study study = harborStudy(Source.bulkExport(clinic.baseUrl()));
      Path landing = temp.newFolder("landing").toPath();

      Extracted result = extract(study, landing);

      assertEquals(1, result.failures());
      assertEquals(0, landedCount(landing, HARBOR));
      assertEquals(1, clinic.exportJobsDeleted());
    }
  }

  @Test
  public void errorFileFailsTheClinicButWhatWasDeliveredLands() throws Exception {
    try (DemoClinic clinic = harbor(ExportPlan.defaults().withErrors(3))) {
      Study study = harborStudy(Source.bulkExport(clinic.baseUrl()));
      Path landing = temp.newFolder("landing").toPath();

      Extracted result = extract(study, landing);

      assertLandedOnce(study, landing, HARBOR);
      assertEquals(1, result.failures());
      assertEquals(3, result.exportErrors());
      assertEquals(1, clinic.exportJobsDeleted());
    }
  }

  @Test
  public void manifestOnAnotherHostFailsTheClinicAndTheRunIsPartial() throws Exception {
    AtomicInteger foreignHits = new AtomicInteger();
    HttpServer foreign = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    foreign.createContext("/", exchange -> {
      foreignHits.incrementAndGet();
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    foreign.start();
    String foreignBase = "http://127.0.0.1:" + foreign.getAddress().getPort() + "/fhir";
    ClinicServerOptions defaults = ClinicServerOptions.defaults();
    try (DemoClinics clinics = DemoClinics.start(synthetic, defaults, Map.of(HARBOR,
        defaults.withExport(ExportPlan.defaults().exportOnly().withFileBase(foreignBase))))) {
      Study study = DemoStudy.pointAt(demo, clinics, temp.newFolder("exports").toPath());
      assertEquals(Source.Kind.BULK_EXPORT, study.clinicsById().get(HARBOR).source().kind());
      assertEquals(Source.Kind.NDJSON, study.clinicsById().get("summit").source().kind());
      RunLayout layout = new RunLayout(temp.newFolder("out").toPath(), "hostile-manifest");
      layout.create();
      StudyPipeline.build(pipeline, study, StudyKey.of(new byte[32]), layout,
          SyntheticStudy.REFERENCE_DATE);

      StudyRun.Result result = StudyRun.execute(pipeline, study, layout, Instant.now());

      assertEquals(StudyRun.Status.PARTIAL, result.status());
      assertEquals(Set.of(HARBOR), result.summary().failedClinics());
      assertEquals("nothing was fetched from the other host", 0, foreignHits.get());
      assertEquals(0, landedCount(layout.landing(), HARBOR));
      assertEquals(1, clinics.clinic(HARBOR).exportJobsDeleted());
      assertLandedOnce(study, layout.landing(), "north");
      assertLandedOnce(study, layout.landing(), "summit");
    } finally {
      foreign.stop(0);
    }
  }
}
