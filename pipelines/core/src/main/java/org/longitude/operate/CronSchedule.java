package org.longitude.operate;

import com.cronutils.model.time.ExecutionTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;
import org.longitude.config.Schedule;

/** A standard 5-field Unix cron expression read in one time zone (cron-utils). */
public final class CronSchedule implements Scheduler.Trigger {
  private final String expression;
  private final ZoneId zone;
  private final ExecutionTime times;

  private CronSchedule(String expression, ZoneId zone) {
    this.expression = expression;
    this.zone = zone;
    this.times = ExecutionTime.forCron(Schedule.parseCron(expression));
  }

  public static CronSchedule of(String expression, ZoneId zone) {
    return new CronSchedule(expression, zone);
  }

  @Override
  public Optional<ZonedDateTime> next(ZonedDateTime after) {
    return times.nextExecution(after.withZoneSameInstant(zone));
  }

  public String expression() {
    return expression.trim();
  }

  public ZoneId zone() {
    return zone;
  }

  @Override
  public String toString() {
    return "cron '" + expression() + "' in " + zone;
  }
}
