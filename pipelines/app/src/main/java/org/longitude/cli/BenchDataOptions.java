package org.longitude.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The synthetic clinic the benchmarks generate (once per size and seed) and where. */
final class BenchDataOptions {
  @Option(names = "--observations", defaultValue = "1000000",
      description = "About how many Observations the clinic holds (default: ${DEFAULT-VALUE}).")
  long observations;

  @Option(names = "--output", defaultValue = "out/bench",
      description = "Folder for the generated data (shared by bench and bench-pull) and the "
          + "outputs (default: ${DEFAULT-VALUE}).")
  Path output;

  @Option(names = "--seed", defaultValue = "20261125",
      description = "Seed of the synthetic data (default: ${DEFAULT-VALUE}).")
  long seed;
}
