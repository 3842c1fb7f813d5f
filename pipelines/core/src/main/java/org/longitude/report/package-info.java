/**
 * Report: after a run is published, one self-contained HTML page built from its research
 * tables — Kaplan–Meier durability curves with numbers at risk, landmarks, course outcomes,
 * attrition, score trajectories, data quality and the rules used — with charts drawn by
 * XChart and embedded as PNG data URIs.
 *
 * <p>May import {@code common}, {@code config} and {@code release} (the small-cell rule): it
 * is built from a research folder alone ({@code ArchitectureTest}).
 */
package org.longitude.report;
