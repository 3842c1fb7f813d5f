package org.longitude.release;

import java.util.Map;
import java.util.Set;
import org.longitude.common.Accounting;

/** A run's exact accounting, as {@link SummaryTables} releases it. */
public interface Accounts {
  String runId();

  /** Records per clinic, resource type, outcome, reason and measure. */
  Map<Accounting.Key, Long> counts();

  Set<String> clinics();

  Set<String> failedClinics();

  /** Per clinic, the records re-read from earlier landings (incremental runs). */
  Map<String, Long> reread();

  /** Whether read = written + filtered + quarantined for a clinic and resource type. */
  boolean balanced(String clinic, String resourceType);
}
