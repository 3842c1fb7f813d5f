/**
 * Operating a study over time: a run end to end ({@link org.longitude.operate.StudyRun}: the
 * pipeline, then the summaries, the identity check, publishing and the report), the run lock,
 * run manifests and history, pruning, the cron scheduler, the embedded DuckDB query over the
 * research zone, and the pre-flight checks.
 * Nothing here reads or writes {@code restricted/} beyond what the pipeline itself does.
 *
 * <p>May import {@code common}, {@code config}, {@code release}, {@code pipeline}, {@code
 * views} and {@code report} ({@code ArchitectureTest}).
 */
package org.longitude.operate;
