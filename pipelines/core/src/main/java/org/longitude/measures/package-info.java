/**
 * The measure catalogue's scoring rules (ranges, item sums, prorating), shared by normalize
 * (items in one resource) and the timeline (items sent apart as a panel's members). Pure: may
 * import only {@code common} and {@code config}.
 */
package org.longitude.measures;
