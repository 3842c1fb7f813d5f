package org.longitude.extract;

import java.util.function.Consumer;
import org.longitude.common.Accounting;
import org.longitude.common.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where one pull task's lines go: each is counted read and handed on as a resource; a line
 * refused at the source is counted read and quarantined, and only its place is logged (it is
 * never held whole, and nothing of its content may reach the log). A long pull logs its
 * progress every {@link #PROGRESS_INTERVAL_NANOS}: counts only, on any runner, since a
 * cluster's workers cannot report to the launching terminal while the job runs.
 */
final class AccountedSink implements NdjsonFilePull.Sink {
  private static final Logger LOG = LoggerFactory.getLogger(AccountedSink.class);
  static final long PROGRESS_INTERVAL_NANOS = 30_000_000_000L;
  /** The run's key on the {@link PullProgress} board; null: not shown there. */
  private final String progressKey;
  private final String clinic;
  private final String resourceType;
  /** The file or URL read, named in log lines. */
  private final String where;
  private final Consumer<RawResource> out;
  private final long startNanos = System.nanoTime();
  private long nextProgressNanos = startNanos + PROGRESS_INTERVAL_NANOS;
  private long lines;
  private long pages;

  AccountedSink(String progressKey, String clinic, String resourceType, String where,
      Consumer<RawResource> out) {
    this.progressKey = progressKey;
    this.clinic = clinic;
    this.resourceType = resourceType;
    this.where = where;
    this.out = out;
  }

  @Override
  public void accept(byte[] json) {
    Accounting.read(clinic, resourceType);
    out.accept(new RawResource(clinic, resourceType, json));
    progress();
  }

  @Override
  public void refuse(Reason reason, long lineNumber) {
    Accounting.read(clinic, resourceType);
    Accounting.dropped(clinic, resourceType, reason, null);
    LOG.warn("clinic '{}': line {} of {} quarantined at the source: {}", clinic, lineNumber,
        where, reason);
    progress();
  }

  /** A search page is complete (search pulls only). */
  void page() {
    pages++;
    if (progressKey != null) {
      PullProgress.page(progressKey, clinic);
    }
  }

  private void progress() {
    lines++;
    if (progressKey != null) {
      PullProgress.resource(progressKey, clinic);
    }
    long now = System.nanoTime();
    if (now >= nextProgressNanos) {
      nextProgressNanos = now + PROGRESS_INTERVAL_NANOS;
      LOG.info("clinic '{}': {}: {} resource(s){} read so far ({}/s)", clinic, resourceType,
          String.format("%,d", lines), pages == 0 ? "" : String.format(" in %,d page(s)", pages),
          String.format("%,.0f", lines / ((now - startNanos) / 1e9)));
    }
  }
}
