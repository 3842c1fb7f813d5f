/**
 * The whole study run: the graph extract → normalize → de-identify → timelines → cohort →
 * tables, the output layout and publishing, and the run summary built from the accounting
 * counters.
 */
package org.longitude.pipeline;
