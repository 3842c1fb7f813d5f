package org.longitude.operate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Runs a job at each time a {@link Trigger} gives, in the foreground, one run at a time: the
 * next time is computed when a run ends, so a run that overruns its slot makes the missed
 * slots be skipped (and said so), never run on top of it.
 */
public final class Scheduler {
  /** When the next run is due, strictly after a time; empty when never again. */
  public interface Trigger {
    Optional<ZonedDateTime> next(ZonedDateTime after);
  }

  /** One scheduled run; returns its exit code. */
  public interface Job {
    int run() throws Exception;
  }

  private final Trigger trigger;
  private final Clock clock;
  private final Consumer<String> log;

  public Scheduler(Trigger trigger, Consumer<String> log) {
    this(trigger, Clock.systemUTC(), log);
  }

  Scheduler(Trigger trigger, Clock clock, Consumer<String> log) {
    this.trigger = trigger;
    this.clock = clock;
    this.log = log;
  }

  /**
   * Runs until {@code maxRuns} runs are done (0 = until interrupted) or the trigger ends.
   *
   * @return the exit code of the last run (0 if none ran)
   */
  public int run(Job job, int maxRuns) throws InterruptedException {
    int runs = 0;
    int lastExit = 0;
    ZonedDateTime now = ZonedDateTime.now(clock);
    while (maxRuns == 0 || runs < maxRuns) {
      Optional<ZonedDateTime> due = trigger.next(now);
      if (due.isEmpty()) {
        log.accept("schedule: no further run times; stopping");
        break;
      }
      log.accept("schedule: next run at " + due.get());
      sleepUntil(due.get().toInstant());
      runs++;
      Instant start = clock.instant();
      log.accept("schedule: run " + runs + " starting");
      try {
        lastExit = job.run();
        log.accept("schedule: run " + runs + " ended with exit code " + lastExit + " after "
            + seconds(start));
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        lastExit = 1;
        // The message only: stack traces may carry values from the data.
        log.accept("schedule: run " + runs + " failed after " + seconds(start) + ": "
            + e.getMessage());
      }
      now = ZonedDateTime.now(clock);
      int missed = 0;
      for (ZonedDateTime t = trigger.next(due.get()).orElse(null);
          t != null && !t.isAfter(now) && missed < 1000; t = trigger.next(t).orElse(null)) {
        missed++;
      }
      if (missed > 0) {
        log.accept("schedule: the run overran " + missed + " scheduled time(s); they are "
            + "skipped, not run late");
      }
    }
    return lastExit;
  }

  private String seconds(Instant start) {
    return String.format("%.1f s", Duration.between(start, clock.instant()).toMillis() / 1000.0);
  }

  private void sleepUntil(Instant due) throws InterruptedException {
    for (long ms = Duration.between(clock.instant(), due).toMillis(); ms > 0;
        ms = Duration.between(clock.instant(), due).toMillis()) {
      Thread.sleep(Math.min(ms, 60_000)); // re-read the clock: sleeps drift, clocks jump
    }
  }
}
