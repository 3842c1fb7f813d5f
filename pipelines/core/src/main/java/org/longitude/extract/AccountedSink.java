package org.longitude.extract;

import java.util.function.Consumer;
import org.longitude.common.Accounting;
import org.longitude.common.Ledger;
import org.longitude.common.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where one pull task's lines go: each is counted read in the bundle's {@link Ledger} and
 * handed on as a resource; a line refused at the source is counted read and quarantined, and
 * only its place is logged (it is never held whole, and nothing of its content may reach the
 * log). A long pull logs its progress every {@link #PROGRESS_INTERVAL_NANOS}: counts only, on
 * any runner, since a cluster's workers cannot report to the launching terminal while the job
 * runs.
 */
final class AccountedSink implements NdjsonFilePull.Sink {
  private static final Logger LOG = LoggerFactory.getLogger(AccountedSink.class);
  static final long PROGRESS_INTERVAL_NANOS = 30_000_000_000L;
  /** Lines between updates of the live progress counter (a metric: display only). */
  private static final int PROGRESS_BATCH = 1024;
  /** The task's live counts, for the progress display. */
  private final PullProgress.Task progress;
  private final String clinic;
  private final String resourceType;
  /** The file or URL read, named in log lines. */
  private final String where;
  private final Ledger ledger;
  private final Consumer<RawResource> out;
  private final long startNanos = System.nanoTime();
  private long nextProgressNanos = startNanos + PROGRESS_INTERVAL_NANOS;
  private long lines;
  private long pages;
  private int unreported;

  AccountedSink(PullProgress.Task progress, String clinic, String resourceType, String where,
      Ledger ledger, Consumer<RawResource> out) {
    this.progress = progress;
    this.clinic = clinic;
    this.resourceType = resourceType;
    this.where = where;
    this.ledger = ledger;
    this.out = out;
  }

  @Override
  public void accept(byte[] json) {
    ledger.read(clinic, resourceType);
    try {
      out.accept(new RawResource(clinic, resourceType, json));
    } catch (RuntimeException e) {
      throw new HandedOnFailure(e);
    }
    progress();
  }

  @Override
  public void refuse(Reason reason, long lineNumber) {
    ledger.read(clinic, resourceType);
    ledger.dropped(clinic, resourceType, reason, null);
    LOG.warn("clinic '{}': line {} of {} quarantined at the source: {}", clinic, lineNumber,
        where, reason);
    progress();
  }

  /** A search page is complete (search pulls only). */
  void page() {
    pages++;
    progress.page();
  }

  /** The server's time of a search or export: the clinic's next high-water mark, at most. */
  void serverTime(long epochMillis) {
    ledger.highWaterMark(clinic, epochMillis);
  }

  /** The task is over: the live progress counter catches up. */
  void finish() {
    reportProgress();
    progress.finish();
  }

  private void reportProgress() {
    Accounting.progress(clinic, resourceType, unreported);
    unreported = 0;
  }

  private void progress() {
    lines++;
    if (++unreported == PROGRESS_BATCH) {
      reportProgress();
    }
    progress.resource();
    long now = System.nanoTime();
    if (now >= nextProgressNanos) {
      nextProgressNanos = now + PROGRESS_INTERVAL_NANOS;
      LOG.info("clinic '{}': {}: {} resource(s){} read so far ({}/s)", clinic, resourceType,
          String.format("%,d", lines), pages == 0 ? "" : String.format(" in %,d page(s)", pages),
          String.format("%,.0f", lines / ((now - startNanos) / 1e9)));
    }
  }
}
