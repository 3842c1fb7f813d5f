/**
 * Extract: pulls each clinic's resources (FHIR search with the server's own paging, FHIR Bulk
 * Data {@code $export}, or NDJSON files), lands them unchanged in the restricted zone, and hands
 * them on as
 * {@link org.longitude.extract.RawResource}s.
 *
 * <p>May import {@code common} and {@code config} ({@code ArchitectureTest}).
 */
package org.longitude.extract;
