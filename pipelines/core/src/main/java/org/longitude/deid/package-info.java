/**
 * De-identify: the gate's way in from the restricted zone. The only reader of {@code
 * normalize}'s facts: keyed pseudonyms (HMAC-SHA256), one date shift per participant, ZIP
 * codes cut to three digits (Safe Harbor) where the address is read; free text never passes.
 * What leaves for research is built by {@code release}, the gate's way out.
 *
 * <p>May import {@code common}, {@code config} and {@code normalize} (the facts it releases)
 * ({@code ArchitectureTest}).
 */
package org.longitude.deid;
