package org.longitude.cli;

import java.util.OptionalLong;

/**
 * The launcher's quick start for small studies. A run of a few hundred participants is over
 * in seconds, before the JVM's optimizing compiler (C2) pays back what it costs: on 2 cores,
 * compiling took about half of such a run's CPU. So the launcher starts {@code run} and
 * {@code demo} with the quick compiler only ({@code -XX:TieredStopAtLevel=1}) and the system
 * property {@value #PROPERTY}. A study that is not known to be small — more than
 * {@value #MAX_INPUT_BYTES} bytes of input, or a clinic pulled over HTTP, whose size is known
 * only once pulled — is handed back before anything is done (exit code
 * {@value #RELAUNCH_OPTIMIZED}), and the launcher starts the command again with both compilers,
 * as every run was started before: large studies keep their throughput.
 */
final class QuickStart {
  static final String PROPERTY = "longitude.quickStart";
  /** Asks the launcher to start the same command again with the optimizing compiler. */
  static final int RELAUNCH_OPTIMIZED = 75;
  /** About 350,000 resources of FHIR JSON; the 500-participant benchmark clinic has 37 MB. */
  static final long MAX_INPUT_BYTES = 256L << 20;
  /** FHIR JSON per participant of one demo clinic, all versions (measured: 74-100 KB). */
  static final long DEMO_BYTES_PER_PARTICIPANT = 100_000;

  private QuickStart() {}

  /** Whether this JVM was started for a small study, and {@code inputBytes} is not one. */
  static boolean relaunch(OptionalLong inputBytes) {
    return Boolean.getBoolean(PROPERTY) && !small(inputBytes);
  }

  /** Whether a study of {@code inputBytes} is known to be small (at most the bound above). */
  static boolean small(OptionalLong inputBytes) {
    return inputBytes.isPresent() && inputBytes.getAsLong() <= MAX_INPUT_BYTES;
  }

  /** The demo's input: its clinics' generated data. */
  static OptionalLong demoBytes(int participantsPerClinic, int clinics) {
    return OptionalLong.of(participantsPerClinic * (long) clinics * DEMO_BYTES_PER_PARTICIPANT);
  }
}
