/**
 * {@code longitude bench}: generates one synthetic clinic as Bulk Data NDJSON and measures,
 * on the same files, a hand-written single-threaded converter (HAPI → Avro → Parquet) against
 * the study pipeline on the DirectRunner and on Flink's embedded cluster.
 *
 * <p>May import the stages, {@code pipeline} and {@code demo}; it runs the CLI as a child process,
 * never links to it ({@code ArchitectureTest}). In the longitude-app module ({@code
 * pipelines/app}).
 */
package org.longitude.bench;
