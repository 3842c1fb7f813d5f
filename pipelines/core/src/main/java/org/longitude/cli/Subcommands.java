package org.longitude.cli;

import java.util.List;

/**
 * Commands a module above core adds to the {@code longitude} command: longitude-app's demo,
 * demo-clinics, bench, bench-pull and cluster-check, which need the demo clinics. Found with
 * {@link java.util.ServiceLoader} (a {@code META-INF/services/org.longitude.cli.Subcommands}
 * entry), so the job jars, made of core alone, have the production commands only.
 */
public interface Subcommands {
  /** The {@code @Command} classes, each made by picocli as the ones core lists itself. */
  List<Class<?>> commands();
}
