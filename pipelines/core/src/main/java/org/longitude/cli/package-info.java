/**
 * The {@code longitude} command line: demo, demo-clinics, run, and the operating commands
 * runs, status, query, validate, schedule (their work lives in {@code org.longitude.operate}),
 * and bench ({@code org.longitude.bench}).
 *
 * <p>May import anything: it is the top ({@code ArchitectureTest}).
 */
package org.longitude.cli;
