/**
 * Output: research rows built from timelines, and the writers that put every table under
 * {@code <output>/research/<table>/} as Parquet and Avro, using the schemas in
 * {@code schemas/}; restricted NDJSON for quarantine.
 *
 * <p>May import {@code common}, {@code config}, {@code deid} and {@code timeline} ({@code
 * ArchitectureTest}).
 */
package org.longitude.output;
