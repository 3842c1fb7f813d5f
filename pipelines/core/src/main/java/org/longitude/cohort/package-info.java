/**
 * Cohort: per-participant outcomes for each condition (rules in {@code cohort.rules}), and
 * the aggregate tables — Kaplan–Meier durability curves, landmarks, course outcomes and
 * attrition — assembled from combined counts, never from all participants on one worker.
 * Computes; its rows are built by {@code release}, with the small-cell rules.
 *
 * <p>May import {@code common}, {@code config}, {@code deid}, {@code timeline}, {@code
 * cohort.rules} and {@code release} ({@code ArchitectureTest}).
 */
package org.longitude.cohort;
