/**
 * Release: the gate's way out. Every research-schema record and every published aggregate is
 * built here, and nowhere else — the participant-level rows of timelines ({@link
 * org.longitude.release.TimelineRows}: date mode, capped ages, birth year withheld at the
 * cap), the cohort's outcomes and intervals ({@link org.longitude.release.OutcomeRows}), the
 * curves, landmarks, rates, attrition and comparison tables with their small-cell rules
 * ({@link org.longitude.release.CurveRows}, {@link org.longitude.release.CourseRows}, {@link
 * org.longitude.release.ComparisonRows}), the accounting tables ({@link
 * org.longitude.release.SummaryTables}) and study views' rows, column by column under their
 * rules ({@link org.longitude.release.ViewRows}). {@code deid} is the way in (pseudonyms, date
 * shifts, ZIP3 where PHI is read); together the two packages are what a reviewer reads to
 * know what leaves the restricted zone.
 *
 * <p>Pure Java over Avro records, no Beam. May import {@code common}, {@code config}, {@code
 * deid}, {@code timeline} and {@code cohort.rules}; only {@code release} builds research
 * records ({@code ArchitectureTest}).
 */
package org.longitude.release;
