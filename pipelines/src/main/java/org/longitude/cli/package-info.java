/** The {@code longitude} command line: demo, demo-clinics, run. */
package org.longitude.cli;
