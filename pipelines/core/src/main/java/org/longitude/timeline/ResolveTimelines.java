package org.longitude.timeline;

import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.longitude.common.BufferedCoder;
import org.longitude.common.BundleEnd;
import org.longitude.common.FailureInjection;
import org.longitude.common.Ledger;
import org.longitude.config.MeasureCatalog;
import org.longitude.deid.ParticipantEvent;
import org.longitude.quarantine.QuarantineFiles;

/**
 * Groups de-identified events by participant and resolves each group into a
 * {@link Timeline}; records that fail a participant-level rule are written to the restricted
 * quarantine folder ({@link QuarantineFiles}). Each bundle's {@link Ledger} — what it wrote
 * and left out, with the ledgers of the steps before, handed on with the events — follows
 * its timelines ({@link Resolved}).
 */
public final class ResolveTimelines
    extends PTransform<PCollection<KV<String, List<ParticipantEvent>>>, PCollection<Resolved>> {
  private final int initialCourseEndDay;
  private final MeasureCatalog catalog;
  private final String quarantineDir;

  private ResolveTimelines(int initialCourseEndDay, MeasureCatalog catalog,
      String quarantineDir) {
    this.initialCourseEndDay = initialCourseEndDay;
    this.catalog = catalog;
    this.quarantineDir = quarantineDir;
  }

  /**
   * @param initialCourseEndDay administrations after this day (since index) are boosters
   * @param catalog its rules score panels whose items arrive as {@code hasMember}
   * @param quarantineDir the restricted folder for quarantined records
   */
  public static ResolveTimelines with(int initialCourseEndDay, MeasureCatalog catalog,
      String quarantineDir) {
    return new ResolveTimelines(initialCourseEndDay, catalog, quarantineDir);
  }

  @Override
  public PCollection<Resolved> expand(PCollection<KV<String, List<ParticipantEvent>>> events) {
    return events
        .apply("GroupByParticipant", GroupByKey.create())
        .apply("Resolve", ParDo.of(new ResolveFn(initialCourseEndDay, catalog, quarantineDir)))
        .setCoder(BufferedCoder.of(Resolved.ResolvedCoder.of()));
  }

  static final class ResolveFn
      extends DoFn<KV<String, Iterable<List<ParticipantEvent>>>, Resolved> {
    private final int initialCourseEndDay;
    private final MeasureCatalog catalog;
    private final String quarantineDir;
    private transient QuarantineFiles quarantine;
    private transient Ledger ledger;

    ResolveFn(int initialCourseEndDay, MeasureCatalog catalog, String quarantineDir) {
      this.initialCourseEndDay = initialCourseEndDay;
      this.catalog = catalog;
      this.quarantineDir = quarantineDir;
    }

    @StartBundle
    public void startBundle() {
      ledger = new Ledger();
      quarantine = new QuarantineFiles(quarantineDir, TimelineBuilder.STAGE, ledger);
    }

    /** The bundle's ledger follows its timelines. */
    @FinishBundle
    public void finishBundle(FinishBundleContext c) {
      quarantine.publish();
      FailureInjection.afterBundle("Resolve");
      if (!ledger.isEmpty()) {
        BundleEnd.output(c, Resolved.of(ledger));
      }
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<List<ParticipantEvent>>> group,
        OutputReceiver<Resolved> out) {
      if (ParticipantEvent.isLedgerKey(group.getKey())) {
        group.getValue().forEach(events -> events.forEach(
            e -> ledger.addAll(((ParticipantEvent.LedgerEvent) e).ledger())));
        return;
      }
      TimelineBuilder builder = new TimelineBuilder(group.getKey(), initialCourseEndDay, catalog,
          ledger);
      group.getValue().forEach(events -> events.forEach(builder::add));
      builder.build(t -> out.output(Resolved.of(t)), quarantine::write);
    }
  }
}
