/**
 * Report: after a run is published, one self-contained HTML page built from its research
 * tables — Kaplan–Meier durability curves with numbers at risk, landmarks, course outcomes,
 * attrition, score trajectories, data quality and the rules used — with charts drawn by
 * XChart and embedded as PNG data URIs.
 */
package org.longitude.report;
