package org.longitude.cli;

import org.longitude.demo.SyntheticStudy;
import picocli.CommandLine.Option;

/** Size and seed of the synthetic demo cohort. */
final class SyntheticOptions {
  @Option(names = "--participants", defaultValue = "150",
      description = "Participants per clinic (default: ${DEFAULT-VALUE}).")
  int participants;

  @Option(names = "--seed", defaultValue = "20261125",
      description = "Seed of the synthetic cohort (default: ${DEFAULT-VALUE}).")
  long seed;

  SyntheticStudy generate() {
    return SyntheticStudy.generate(seed, participants, null, true); // with vitals, for views
  }
}
