/**
 * Output: research rows built from timelines, and the writers that put every table under
 * {@code <output>/research/<table>/} as Parquet and Avro, using the schemas in
 * {@code schemas/}; restricted NDJSON for quarantine.
 */
package org.longitude.output;
