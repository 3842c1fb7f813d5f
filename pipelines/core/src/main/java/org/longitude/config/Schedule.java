package org.longitude.config;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import java.io.Serializable;

/**
 * When {@code longitude schedule} runs the study ({@code schedule:} in the study YAML).
 *
 * @param cron standard 5-field Unix cron expression, e.g. {@code "0 2 * * 1"} (Mondays 02:00)
 * @param timeZone IANA time zone the expression is read in (default UTC)
 */
public record Schedule(String cron, String timeZone) implements Serializable {
  private static final CronParser UNIX =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  /** Parses and validates; throws {@link IllegalArgumentException} with the reason. */
  public static Cron parseCron(String expression) {
    return UNIX.parse(expression.trim()).validate();
  }

  public String timeZoneOrDefault() {
    return timeZone == null || timeZone.isBlank() ? "UTC" : timeZone;
  }
}
