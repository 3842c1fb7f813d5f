/**
 * The whole study run: the graph extract → normalize → de-identify → timelines → cohort →
 * tables, the output layout and publishing, and the run summary built from the run's ledger (the
 * accounting, written as data).
 *
 * <p>May import every stage and {@code report}; never {@code operate}, {@code demo}, {@code bench}
 * or the applications ({@code ArchitectureTest}).
 */
package org.longitude.pipeline;
