/**
 * The {@code longitude} command line: demo, demo-clinics, run, and the operating commands
 * runs, status, query, validate, schedule (their work lives in {@code org.longitude.operate}),
 * and bench ({@code org.longitude.bench}).
 */
package org.longitude.cli;
