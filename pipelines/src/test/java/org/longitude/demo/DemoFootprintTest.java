package org.longitude.demo;

import ca.uhn.fhir.context.FhirContext;
import java.util.List;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Rough timing and heap figures; run on demand with
 * {@code -Dtest=DemoFootprintTest -Dlongitude.demo.footprint=true}.
 */
@EnabledIfSystemProperty(named = "longitude.demo.footprint", matches = "true")
class DemoFootprintTest {

  @Test
  void measure() {
    FhirContext.forR4Cached().newJsonParser();
    // Warm up generation, encoding and server start-up so that only the data is measured.
    try (DemoClinics warm = DemoClinics.start(SyntheticStudy.generate(1, 20))) {
      warm.clinics().size();
    }
    long before = usedHeap();
    long start = System.nanoTime();
    SyntheticStudy study = SyntheticStudy.generate(42, 200);
    long generated = System.nanoTime();
    long afterGenerate = usedHeap();
    System.out.println(study.summary());
    int observations = 0;
    int versions = 0;
    for (ClinicDataset c : study.clinics()) {
      observations += c.resources(Observation.class).size();
      versions += c.history().size();
    }
    System.out.printf("generate 3x200: %.1f s, %d observations, %d resource versions,"
        + " heap for the HAPI objects %.0f MB%n", (generated - start) / 1e9, observations,
        versions, (afterGenerate - before) / 1e6);
    // The first start also pays one-time costs (classes, HAPI server model): read the later runs.
    for (boolean compressed : new boolean[] {true, false, true, false}) {
      long base = usedHeap();
      long t0 = System.nanoTime();
      try (DemoClinics clinics = DemoClinics.start(study,
          ClinicServerOptions.defaults().withCompressedStorage(compressed))) {
        long t1 = System.nanoTime();
        long heap = usedHeap() - base;
        long payload = clinics.clinics().stream().mapToLong(DemoClinic::storedPayloadBytes).sum();
        System.out.printf("servers (compressed=%s): start %.1f s, store heap %.0f MB, payload"
            + " %.0f MB, %.0f bytes heap per stored version -> ~%.1f GB per 1M observations%n",
            compressed, (t1 - t0) / 1e9, heap / 1e6, payload / 1e6, (double) heap / versions,
            (double) heap / versions * 1e6 / 1e9);
        List<DemoClinic> all = clinics.clinics();
        if (all.isEmpty()) {
          throw new AssertionError();
        }
      }
    }
  }

  private static long usedHeap() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }
}
