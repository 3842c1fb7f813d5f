package org.longitude.config;

import java.io.Serializable;

/**
 * When {@code longitude schedule} runs the study ({@code schedule:} in the study YAML).
 *
 * @param cron standard 5-field Unix cron expression, e.g. {@code "0 2 * * 1"} (Mondays 02:00)
 * @param timeZone IANA time zone the expression is read in (default UTC)
 */
public record Schedule(String cron, String timeZone) implements Serializable {
  public String timeZoneOrDefault() {
    return timeZone == null || timeZone.isBlank() ? "UTC" : timeZone;
  }
}
