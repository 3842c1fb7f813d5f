package org.longitude.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.longitude.cli.DemoStudy;
import org.longitude.common.Accounting;
import org.longitude.config.Source;
import org.longitude.config.Study;
import org.longitude.demo.DemoClinics;
import org.longitude.demo.SyntheticStudy;

/**
 * A clinic whose pages never end fails within its time limit while the other clinics' data
 * flow: the extract stage on the DirectRunner against two embedded clinics and one that
 * trickles bytes for ever.
 */
class EndlessPageRunTest {

  @Test
  void theEndlessClinicFailsAtItsTimeLimitAndTheOthersFlow() throws Exception {
    HttpServer endless = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    endless.setExecutor(Executors.newCachedThreadPool());
    endless.createContext("/fhir", exchange -> {
      try {
        exchange.getResponseHeaders().set("Content-Type", "application/fhir+json");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        out.write("{\"resourceType\":\"Bundle\",\"entry\":[".getBytes(StandardCharsets.UTF_8));
        while (true) {
          out.write(' ');
          out.flush();
          Thread.sleep(50);
        }
      } catch (IOException | InterruptedException e) {
        exchange.close(); // the client gave up, as it should
      }
    });
    endless.start();
    try (DemoClinics clinics = DemoClinics.start(SyntheticStudy.generate(31, 5))) {
      Study demo = DemoStudy.against(clinics);
      List<Study.Clinic> withEndless = new ArrayList<>();
      for (Study.Clinic c : demo.clinics()) {
        withEndless.add(!c.id().equals("harbor") ? c : c.withSource(new Source(
            Source.Kind.FHIR_SEARCH, "http://127.0.0.1:" + endless.getAddress().getPort()
            + "/fhir", null, null).withTimeLimit("3s")));
      }
      Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.create());
      pipeline.apply("Extract", Extract.from(demo.withClinics(withEndless)));

      PipelineResult result = pipeline.run();
      result.waitUntilFinish();

      assertEquals(4, counter(result, Extract.CLINICS_NAMESPACE, "harbor|failed"),
          "each of harbor's four searches failed");
      assertEquals(0, counter(result, Extract.CLINICS_NAMESPACE, "north|failed"));
      assertEquals(0, counter(result, Extract.CLINICS_NAMESPACE, "summit|failed"));
      for (String clinic : List.of("north", "summit")) {
        long read = counter(result, Accounting.NAMESPACE, clinic + "|Patient|READ||");
        assertEquals(clinics.clinic(clinic).count("Patient"), read, clinic);
      }
      assertTrue(counter(result, Accounting.NAMESPACE, "north|Observation|READ||") > 0);
    } finally {
      endless.stop(0);
    }
  }

  private static long counter(PipelineResult result, String namespace, String name) {
    long total = 0;
    for (MetricResult<Long> c : result.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named(namespace, name)).build()).getCounters()) {
      total += c.getAttempted();
    }
    return total;
  }
}
