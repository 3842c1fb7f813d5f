/**
 * The study's pipeline: the graph extract → normalize → de-identify → timelines → cohort →
 * tables ({@link org.longitude.pipeline.StudyPipeline}), the output layout, running it with
 * live progress and accounting for every record ({@link org.longitude.pipeline.PipelineRun}),
 * and the run summary built from the run's ledger (the accounting, written as data).
 * Publishing, the summaries' files and the report are {@code operate}'s.
 *
 * <p>May import every stage; never {@code report}, {@code operate}, {@code demo}, {@code
 * bench} or the applications ({@code ArchitectureTest}).
 */
package org.longitude.pipeline;
