/**
 * Output: the writers that lay out, sort and write every table under {@code
 * <output>/research/<table>/} as Parquet and Avro, using the schemas in {@code schemas/}, and
 * restricted NDJSON for quarantine. It builds no research row: {@code release} does, and
 * hands them here.
 *
 * <p>May import {@code common}, {@code config}, {@code timeline} and {@code release} ({@code
 * ArchitectureTest}).
 */
package org.longitude.output;
