package org.longitude.normalize;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.longitude.common.Accounting;
import org.longitude.config.Study;
import org.longitude.extract.RawResource;

/**
 * The normalize stage: raw resources in, {@link Fact}s out on {@link #FACTS}, quarantined
 * records on {@link #QUARANTINE}; filtered records are counted, not kept.
 */
public final class Normalize extends PTransform<PCollection<RawResource>, PCollectionTuple> {
  public static final TupleTag<Fact> FACTS = new TupleTag<>() {};
  public static final TupleTag<QuarantineRecord> QUARANTINE = new TupleTag<>() {};
  static final String STAGE = "normalize";

  private final Study study;
  private final LocalDate today;

  private Normalize(Study study, LocalDate today) {
    this.study = study;
    this.today = today;
  }

  /**
   * @param today the run's reference day: scores dated after it are quarantined
   */
  public static Normalize with(Study study, LocalDate today) {
    return new Normalize(study, today);
  }

  @Override
  public PCollectionTuple expand(PCollection<RawResource> raw) {
    PCollectionTuple out = raw.apply("ReadFacts", ParDo.of(new ReadFactsFn(study, today))
        .withOutputTags(FACTS, TupleTagList.of(QUARANTINE)));
    out.get(FACTS).setCoder(FactCoder.of());
    out.get(QUARANTINE).setCoder(QuarantineRecordCoder.of());
    return out;
  }

  /** Reads each resource with its clinic's reader. */
  static final class ReadFactsFn extends DoFn<RawResource, Fact> {
    private final Study study;
    private final LocalDate today;
    private transient Map<String, ResourceReader> readers;

    ReadFactsFn(Study study, LocalDate today) {
      this.study = study;
      this.today = today;
    }

    @Setup
    public void setup() {
      readers = new HashMap<>();
      for (Study.Clinic clinic : study.clinics()) {
        readers.put(clinic.id(),
            new ResourceReader(clinic.id(), study.catalog(), clinic.mapping(), today));
      }
    }

    @ProcessElement
    public void process(@Element RawResource raw, MultiOutputReceiver out) {
      ResourceReader.Result result = readers.get(raw.clinic()).read(raw.resourceType(), raw.json());
      if (result.fact() != null) {
        if (result.fact() instanceof Fact.RetractionFact) {
          // The retraction itself is filtered here; what it removes is counted downstream.
          Accounting.dropped(raw.clinic(), raw.resourceType(),
              org.longitude.common.Reason.STATUS_ENTERED_IN_ERROR, null);
        }
        out.get(FACTS).output(result.fact());
        return;
      }
      Dropped d = result.dropped();
      Accounting.dropped(raw.clinic(), raw.resourceType(), d.reason(), d.measure());
      if (d.reason().quarantined()) {
        out.get(QUARANTINE).output(new QuarantineRecord(raw.clinic(), raw.resourceType(),
            d.reason().name(), d.measure(), STAGE, raw.json()));
      }
    }
  }
}
