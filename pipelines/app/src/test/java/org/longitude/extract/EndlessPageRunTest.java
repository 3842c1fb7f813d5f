package org.longitude.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.longitude.config.Source;
import org.longitude.config.Study;
import org.longitude.demo.DemoClinics;
import org.longitude.demo.DemoStudy;
import org.longitude.demo.SyntheticStudy;

/**
 * A clinic whose pages never end fails within its time limit while the other clinics' data
 * flow: the extract stage on the DirectRunner against two embedded clinics and one that
 * trickles bytes for ever.
 */
class EndlessPageRunTest {

  @Test
  void theEndlessClinicFailsAtItsTimeLimitAndTheOthersFlow(@TempDir Path ledgerDir)
      throws Exception {
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
      ExtractLedger.write(pipeline.apply("Extract", Extract.from(demo.withClinics(withEndless))),
          ledgerDir);

      pipeline.run().waitUntilFinish();

      Map<String, Long> ledger = ExtractLedger.read(ledgerDir);
      assertEquals(4, ExtractLedger.count(ledger, "FAILED|harbor"),
          "each of harbor's four searches failed");
      assertEquals(0, ExtractLedger.count(ledger, "FAILED|north"));
      assertEquals(0, ExtractLedger.count(ledger, "FAILED|summit"));
      for (String clinic : List.of("north", "summit")) {
        long read = ExtractLedger.count(ledger, "RECORDS|" + clinic + "|Patient|READ||");
        assertEquals(clinics.clinic(clinic).count("Patient"), read, clinic);
      }
      assertTrue(ExtractLedger.count(ledger, "RECORDS|north|Observation|READ||") > 0);
    } finally {
      endless.stop(0);
    }
  }
}
