/**
 * Embedded demo clinics: a deterministic, seeded synthetic ketamine-infusion cohort served by
 * real in-process HAPI FHIR R4 servers, for end-to-end tests and demos of the pipelines.
 *
 * <p>This package owns three things:
 *
 * <ul>
 *   <li>Generation: {@link org.longitude.demo.SyntheticStudy#generate(long, int)} builds one
 *       {@link org.longitude.demo.ClinicDataset} per {@link org.longitude.demo.ClinicProfile},
 *       each with its own participants, its own coding quirks and seeded dirt (duplicates,
 *       amendments, retractions, out-of-range values, ...).
 *   <li>Ground truth: every dataset carries a {@link org.longitude.demo.GroundTruth} listing
 *       the clean scores a correct pipeline must keep and every dirty record it must drop;
 *       the study carries a {@link org.longitude.demo.CohortSummary} for calibration checks.
 *   <li>Serving: {@link org.longitude.demo.DemoClinics#start(SyntheticStudy)} runs each
 *       clinic as a {@code RestfulServer} on Jetty (127.0.0.1, ephemeral port) with
 *       server-side paging, Bulk Data {@code $export} ({@link org.longitude.demo.ExportPlan})
 *       and a small mutation API; {@link org.longitude.demo.NdjsonExport}
 *       writes a clinic in Bulk Data NDJSON layout.
 * </ul>
 *
 * <p>All data is synthetic. Names, addresses and notes are made up but deliberately shaped
 * like PHI so that de-identification can be tested against them.
 *
 * <p>May import {@code common} and {@code config}; only the applications ({@code cli}, {@code
 * bench}, {@code cluster}) import it ({@code ArchitectureTest}). The only package of the
 * longitude-demo module ({@code pipelines/demo}), the one with HAPI's server and Jetty, so
 * that longitude-core and the job jars made of it hold no web server.
 */
package org.longitude.demo;
