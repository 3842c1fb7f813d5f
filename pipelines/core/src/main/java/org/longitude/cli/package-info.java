/**
 * The {@code longitude} command line: demo, demo-clinics, run, and the operating commands
 * runs, status, query, validate, schedule (their work lives in {@code org.longitude.operate}),
 * and bench ({@code org.longitude.bench}).
 *
 * <p>In two modules: longitude-core holds {@link org.longitude.cli.Longitude} and the
 * production commands (run, runs, status, query, validate, schedule, views-conformance: the
 * job jars' command line); longitude-app adds demo, demo-clinics, bench, bench-pull and
 * cluster-check, which use the demo clinics, through {@link org.longitude.cli.Subcommands}
 * ({@code AppCommands}, found with {@code ServiceLoader}).
 *
 * <p>May import anything: it is the top ({@code ArchitectureTest}).
 */
package org.longitude.cli;
