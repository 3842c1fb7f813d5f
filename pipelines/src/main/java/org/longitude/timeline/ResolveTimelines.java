package org.longitude.timeline;

import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.longitude.common.BufferedCoder;
import org.longitude.config.MeasureCatalog;
import org.longitude.deid.ParticipantEvent;
import org.longitude.normalize.QuarantineFiles;

/**
 * Groups de-identified events by participant and resolves each group into a
 * {@link Timeline}; records that fail a participant-level rule are written to the restricted
 * quarantine folder ({@link QuarantineFiles}).
 */
public final class ResolveTimelines
    extends PTransform<PCollection<KV<String, List<ParticipantEvent>>>, PCollection<Timeline>> {
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
  public PCollection<Timeline> expand(PCollection<KV<String, List<ParticipantEvent>>> events) {
    return events
        .apply("GroupByParticipant", GroupByKey.create())
        .apply("Resolve", ParDo.of(new ResolveFn(initialCourseEndDay, catalog, quarantineDir)))
        .setCoder(BufferedCoder.of(TimelineCoder.of()));
  }

  static final class ResolveFn extends DoFn<KV<String, Iterable<List<ParticipantEvent>>>, Timeline> {
    private final int initialCourseEndDay;
    private final MeasureCatalog catalog;
    private final String quarantineDir;
    private transient QuarantineFiles quarantine;

    ResolveFn(int initialCourseEndDay, MeasureCatalog catalog, String quarantineDir) {
      this.initialCourseEndDay = initialCourseEndDay;
      this.catalog = catalog;
      this.quarantineDir = quarantineDir;
    }

    @StartBundle
    public void startBundle() {
      quarantine = new QuarantineFiles(quarantineDir, TimelineBuilder.STAGE);
    }

    @FinishBundle
    public void finishBundle() {
      quarantine.publish();
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<List<ParticipantEvent>>> group,
        OutputReceiver<Timeline> out) {
      TimelineBuilder builder = new TimelineBuilder(group.getKey(), initialCourseEndDay, catalog);
      group.getValue().forEach(events -> events.forEach(builder::add));
      builder.build(out::output, quarantine::write);
    }
  }
}
