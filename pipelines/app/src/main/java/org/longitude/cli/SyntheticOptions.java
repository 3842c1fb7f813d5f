package org.longitude.cli;

import java.util.function.Supplier;
import org.longitude.demo.ClinicCache;
import org.longitude.demo.DemoClinics;
import org.longitude.demo.DemoStudy;
import org.longitude.demo.SyntheticStudy;
import picocli.CommandLine.Option;

/** Size and seed of the synthetic demo cohort. */
final class SyntheticOptions {
  /** Each infusion with blood pressure readings around it, for the demo's tolerability view. */
  private static final boolean VITALS = true;

  @Option(names = "--participants", defaultValue = "150",
      description = "Participants per clinic (default: ${DEFAULT-VALUE}).")
  int participants;

  @Option(names = "--seed", defaultValue = "20261125",
      description = "Seed of the synthetic cohort (default: ${DEFAULT-VALUE}).")
  long seed;

  SyntheticStudy generate() {
    return SyntheticStudy.generate(seed, participants, null, VITALS);
  }

  /** The demo study's clinics, kept between runs when the launcher says where. */
  DemoClinics startDemoClinics() {
    Supplier<DemoClinics> generated = () -> DemoStudy.startClinics(generate());
    return ClinicCache.fromLauncher(seed, participants, VITALS)
        .map(cache -> cache.start(generated, DemoStudy::startClinics))
        .orElseGet(generated);
  }
}
