package org.longitude.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.longitude.bench.Bench;
import org.longitude.bench.SmallBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code longitude bench}: ingest throughput against a hand-written converter. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Generate one synthetic clinic as NDJSON and measure, on the same files: "
        + "(a) a single-threaded HAPI -> Avro -> Parquet loop, (b) Longitude's ingest on the "
        + "default local runner, Flink's embedded cluster (so also (c)), (d) the cohort stage "
        + "on the ingest's output. Prints observations/s, CPU seconds and peak heap (medians) "
        + "and writes <output>/bench.json.")
final class BenchCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Mixin
  BenchDataOptions data;

  @Option(names = "--repetitions", defaultValue = "5",
      description = "Measured repetitions after the warm-ups (default: ${DEFAULT-VALUE}).")
  int repetitions;

  @Option(names = "--warmups", defaultValue = "1",
      description = "Unmeasured runs of each path first, for the JIT (default: "
          + "${DEFAULT-VALUE}).")
  int warmups;

  @Option(names = "--scores-per-participant", defaultValue = "0",
      description = "Keep at most this many Observations per participant (the first ones), "
          + "for a study of that shape: e.g. 4000000 Observations at 40 each make 100,000 "
          + "participants (default: 0, as generated, about 80 each).")
  int scoresPerParticipant;

  @Option(names = "--runners", split = ",", defaultValue = "FLINK",
      description = "Runners to measure the ingest on: FLINK, DIRECT (default: ${DEFAULT-VALUE};"
          + " the DirectRunner takes minutes per 100k Observations). The cohort stage runs on "
          + "the last.")
  List<Bench.Runner> runners;

  @Option(names = "--view", description = "Also measure each ingest with a study view of "
      + "every Observation (five columns: two pseudonyms, a shifted date, a code, a number).")
  boolean view;

  @Option(names = "--small", description = "Instead: the small-study benchmark. One NDJSON "
      + "clinic of --participants from the demo generator, run end to end by `longitude run` in "
      + "a new process (one warm-up, then --repetitions), printing the median time of each "
      + "phase from start to the published report.")
  boolean small;

  @Option(names = "--participants", defaultValue = "500",
      description = "With --small: participants in the clinic (default: ${DEFAULT-VALUE}).")
  int participants;

  @Override
  public Integer call() throws Exception {
    if (small) {
      return small();
    }
    if (data.observations < 1 || repetitions < 1 || scoresPerParticipant < 0 || warmups < 0) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--observations and --repetitions must be at least 1, --scores-per-participant and "
              + "--warmups at least 0");
    }
    PrintWriter out = spec.commandLine().getOut();
    new Bench(new Bench.Settings(data.observations, warmups, repetitions, data.output, runners,
        data.seed, scoresPerParticipant, view), out).run();
    return 0;
  }

  private int small() throws Exception {
    if (participants < 1 || repetitions < 1 || warmups < 0) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--participants and --repetitions must be at least 1, --warmups at least 0");
    }
    new SmallBench(new SmallBench.Settings(participants, warmups, repetitions, data.output,
        data.seed), spec.commandLine().getOut()).run();
    return 0;
  }
}
