package org.longitude.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.longitude.config.Study;
import org.longitude.config.StudyLoader;
import org.longitude.demo.ClinicServerOptions;
import org.longitude.demo.DemoClinics;
import org.longitude.demo.DemoStudy;
import org.longitude.demo.ExportPlan;
import org.longitude.demo.SyntheticStudy;
import org.longitude.testing.LocalFlink;

/**
 * On Flink, as small studies run (one slot), the other clinics' pulls run while a bulk export
 * is still being prepared: they do not wait for its polls. (A step's output that feeds two
 * steps is handed on only once that step has finished, in Flink's batch mode; the kick-off's
 * two outputs made every other pull wait for its last poll, on a slow server for hours.)
 */
class PullsBesideExportTest {
  private static final int POLLS = 3; // each answered "in progress, retry after 1 s"

  @Test
  void anNdjsonClinicIsPulledWhileTheExportIsPolled(@TempDir Path temp) throws Exception {
    ClinicServerOptions defaults = ClinicServerOptions.defaults();
    try (DemoClinics clinics = DemoClinics.start(SyntheticStudy.generate(5, 8), defaults,
        Map.of("harbor", defaults.withExport(ExportPlan.defaults().exportOnly()
            .withPolls(POLLS, 1))))) {
      Study demo = DemoStudy.pointAt(StudyLoader.load(StudyLoader.DEMO), clinics,
          Files.createDirectory(temp.resolve("exports")));
      Study study = demo.withClinics(List.of(demo.clinicsById().get("harbor"),
          demo.clinicsById().get("summit")));
      Path landing = temp.resolve("landing");
      Path ledgerDir = temp.resolve("ledger");
      Pipeline pipeline = Pipeline.create(LocalFlink.options(1));
      ExtractLedger.write(pipeline.apply(Extract.from(study).withLanding(landing.toString())),
          ledgerDir);

      pipeline.run().waitUntilFinish();

      Map<String, Long> ledger = ExtractLedger.read(ledgerDir);
      assertEquals(0, ExtractLedger.count(ledger, "FAILED|harbor"));
      assertEquals(0, ExtractLedger.count(ledger, "FAILED|summit"));
      // The manifest's transactionTime is the server's kick-off; the client then honours
      // POLLS Retry-After waits of a second before the manifest is served.
      long kickOff = ledger.keySet().stream()
          .filter(k -> k.startsWith("HIGH_WATER_MARK|harbor|"))
          .mapToLong(k -> Long.parseLong(k.substring(k.lastIndexOf('|') + 1)))
          .findFirst().orElseThrow();
      long summitLanded = lastModified(landing.resolve("summit"));
      assertTrue(summitLanded < kickOff + POLLS * 1_000L, "summit landed "
          + (summitLanded - kickOff) + " ms after harbor's kick-off, not while it was polled");
      assertTrue(lastModified(landing.resolve("harbor")) > kickOff, "harbor landed its files");
    }
  }

  /** The newest modification of the files under {@code dir}, epoch millis. */
  private static long lastModified(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().lastModified())
          .max().orElseThrow(() -> new AssertionError("nothing landed in " + dir));
    }
  }
}
