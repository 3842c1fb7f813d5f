/**
 * {@code longitude cluster-check}: a cluster of separate JVMs on this machine, started from
 * Longitude's own jars, the study run on it (and a worker killed under it), and the runs
 * compared with a reference run.
 *
 * <p>May import {@code config}, {@code pipeline}, {@code demo} and {@code bench} ({@code
 * ArchitectureTest}).
 */
package org.longitude.cluster;
