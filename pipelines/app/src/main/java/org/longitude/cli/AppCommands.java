package org.longitude.cli;

import java.util.List;

/**
 * The commands longitude-app adds to core's {@link Longitude} (registered in
 * {@code META-INF/services/org.longitude.cli.Subcommands}): the ones that start demo clinics,
 * the benchmarks and the cluster check.
 */
public final class AppCommands implements Subcommands {
  @Override
  public List<Class<?>> commands() {
    return List.of(DemoCommand.class, DemoClinicsCommand.class, BenchCommand.class,
        PullBenchCommand.class, ClusterCheckCommand.class);
  }
}
