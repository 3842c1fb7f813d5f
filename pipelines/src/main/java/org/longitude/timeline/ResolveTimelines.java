package org.longitude.timeline;

import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.longitude.config.MeasureCatalog;
import org.longitude.deid.ParticipantEvent;
import org.longitude.normalize.QuarantineRecord;
import org.longitude.normalize.QuarantineRecordCoder;

/**
 * Groups de-identified events by participant and resolves each group into a
 * {@link Timeline} ({@link #TIMELINES}); records that fail a participant-level rule go to
 * {@link #QUARANTINE}.
 */
public final class ResolveTimelines
    extends PTransform<PCollection<KV<String, ParticipantEvent>>, PCollectionTuple> {
  public static final TupleTag<Timeline> TIMELINES = new TupleTag<>() {};
  public static final TupleTag<QuarantineRecord> QUARANTINE = new TupleTag<>() {};

  private final int initialCourseEndDay;
  private final MeasureCatalog catalog;

  private ResolveTimelines(int initialCourseEndDay, MeasureCatalog catalog) {
    this.initialCourseEndDay = initialCourseEndDay;
    this.catalog = catalog;
  }

  /** @param initialCourseEndDay administrations after this day (since index) are boosters */
  public static ResolveTimelines withInitialCourseEnd(int initialCourseEndDay) {
    return new ResolveTimelines(initialCourseEndDay, null);
  }

  /** The measure catalogue: its rules score panels whose items arrive as {@code hasMember}. */
  public ResolveTimelines withCatalog(MeasureCatalog catalog) {
    return new ResolveTimelines(initialCourseEndDay, catalog);
  }

  @Override
  public PCollectionTuple expand(PCollection<KV<String, ParticipantEvent>> events) {
    if (catalog == null) {
      throw new IllegalStateException("ResolveTimelines needs withCatalog(...)");
    }
    PCollectionTuple out = events
        .apply("GroupByParticipant", GroupByKey.create())
        .apply("Resolve", ParDo.of(new ResolveFn(initialCourseEndDay, catalog))
            .withOutputTags(TIMELINES, TupleTagList.of(QUARANTINE)));
    out.get(TIMELINES).setCoder(TimelineCoder.of());
    out.get(QUARANTINE).setCoder(QuarantineRecordCoder.of());
    return out;
  }

  static final class ResolveFn extends DoFn<KV<String, Iterable<ParticipantEvent>>, Timeline> {
    private final int initialCourseEndDay;
    private final MeasureCatalog catalog;

    ResolveFn(int initialCourseEndDay, MeasureCatalog catalog) {
      this.initialCourseEndDay = initialCourseEndDay;
      this.catalog = catalog;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<ParticipantEvent>> group,
        MultiOutputReceiver out) {
      TimelineBuilder builder = new TimelineBuilder(group.getKey(), initialCourseEndDay, catalog);
      group.getValue().forEach(builder::add);
      builder.build(out.get(TIMELINES)::output, out.get(QUARANTINE)::output);
    }
  }
}
