package org.longitude.normalize;

import org.longitude.common.Reason;

/** A record left out by a rule, with the reason and, when known, its measure. */
public record Dropped(Reason reason, String measure) {}
