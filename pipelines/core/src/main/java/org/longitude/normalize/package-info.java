/**
 * Normalize: reads each clinic's raw resources into typed facts — canonical measures and
 * scores from whatever codes and value shapes the clinic sends — and filters or quarantines
 * the rest with a reason. Runs in the restricted zone (facts still carry source ids and true
 * dates); {@code org.longitude.deid} is the only way out.
 *
 * <p>May import {@code common}, {@code config}, {@code measures}, {@code quarantine} and {@code
 * extract} ({@code ArchitectureTest}).
 */
package org.longitude.normalize;
