/**
 * Timelines: one de-identified timeline per participant, built after grouping its events —
 * newest versions win, retractions remove, duplicate scores are kept once, item answers sent
 * apart join their total, and every day is measured from the index (first ketamine) day.
 *
 * <p>May import {@code common}, {@code config}, {@code measures}, {@code quarantine} and {@code
 * deid}; never {@code extract} or {@code normalize} ({@code ArchitectureTest}).
 */
package org.longitude.timeline;
