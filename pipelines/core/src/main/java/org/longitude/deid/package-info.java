/**
 * De-identify: the single gate between the restricted zone and research outputs. Keyed
 * pseudonyms (HMAC-SHA256), one date shift per participant, Safe Harbor generalisation of
 * ages and ZIP codes, and small-cell suppression of aggregates. Only fields the research
 * schemas define pass; free text never does.
 *
 * <p>May import {@code common}, {@code config} and {@code normalize} (the facts it releases)
 * ({@code ArchitectureTest}).
 */
package org.longitude.deid;
