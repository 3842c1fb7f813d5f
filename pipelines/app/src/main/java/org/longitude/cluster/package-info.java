/**
 * {@code longitude cluster-check flink|spark}: a cluster of separate JVMs on this machine (a
 * Flink session cluster from Longitude's own jars, or a Spark standalone cluster from Spark's
 * jars, which Maven resolves), the study run on it (and a worker killed under it), and the runs
 * compared with a reference run.
 *
 * <p>May import {@code config}, {@code pipeline}, {@code demo} and {@code bench} ({@code
 * ArchitectureTest}).
 */
package org.longitude.cluster;
