/**
 * The restricted quarantine: the records a stage keeps back for the clinic's data steward and
 * the files it writes them to. Written by normalize (records as received) and the timeline
 * (de-identified descriptions); restricted zone only. May import only {@code common}.
 */
package org.longitude.quarantine;
