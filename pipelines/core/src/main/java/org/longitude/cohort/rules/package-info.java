/**
 * Cohort rules for the ketamine durability study: pure, deterministic Java with no Beam and no
 * I/O, so the same code runs inside DoFns and in unit tests.
 *
 * <p>What this package owns:
 *
 * <ul>
 *   <li>Configuration: {@link org.longitude.cohort.rules.CohortRules} (shared windows, landmarks,
 *       confidence level) and {@link org.longitude.cohort.rules.MeasureRule} (per-measure
 *       thresholds and {@link org.longitude.cohort.rules.ResponseRule}). Every number used by the
 *       rules comes from these records; {@code CohortRules.defaults()} holds the protocol values.
 *   <li>Per participant and measure outcomes: {@link org.longitude.cohort.rules.OutcomeRules}
 *       turns administration days and {@link org.longitude.cohort.rules.Score}s into a {@link
 *       org.longitude.cohort.rules.MeasureOutcome} (eligibility, response, remission, relapse,
 *       durability time, course outcome, suicidal-ideation resolution, maintenance start, landmark
 * status).
 *   <li>Aggregate statistics built from counts only, so Beam can combine across participants:
 *       {@link org.longitude.cohort.rules.DayCounts} (mergeable accumulator), {@link
 *       org.longitude.cohort.rules.KaplanMeier} (product-limit with Greenwood variance and
 *       log(-log) intervals, plain or with delayed entry) and {@link
 *       org.longitude.cohort.rules.Proportion} (Wilson score interval).
 * </ul>
 *
 * <p>Days are integers counted from the index date (first ketamine administration = day 0).
 *
 * <p>May import {@code config} only (no Beam, no Avro) ({@code ArchitectureTest}).
 */
package org.longitude.cohort.rules;
