package org.longitude.cli;

import java.util.concurrent.Callable;
import org.longitude.bench.PullBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code longitude bench-pull}: fhir-search pull throughput from one embedded clinic. */
@Command(name = "bench-pull", mixinStandardHelpOptions = true,
    description = "Load one synthetic demo clinic with about N Observations and pull every "
        + "Observation over HTTP with the product's fhir-search pull. Prints resources/s, "
        + "pages, wall and CPU seconds and the heap (the clinic's, and the peak after a "
        + "quarter and after all of the pull).")
final class PullBenchCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Mixin
  BenchDataOptions data;

  @Option(names = "--page-size", defaultValue = "1000",
      description = "The _count asked for (default: ${DEFAULT-VALUE}).")
  int pageSize;

  @Option(names = "--compressed", negatable = true, defaultValue = "true",
      description = "Store the clinic's JSON deflated: a smaller heap, more server CPU "
          + "(default: ${DEFAULT-VALUE}).")
  boolean compressed;

  @Override
  public Integer call() throws Exception {
    if (data.observations < 1 || pageSize < 1) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--observations and --page-size must be at least 1");
    }
    new PullBench(new PullBench.Settings(data.observations, pageSize, compressed,
        data.output, data.seed), spec.commandLine().getOut()).run();
    return 0;
  }
}
