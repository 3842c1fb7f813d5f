package org.longitude.normalize;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.longitude.common.BundleEnd;
import org.longitude.common.FailureInjection;
import org.longitude.common.Ledger;
import org.longitude.common.Reason;
import org.longitude.common.SealedRecordCoder;
import org.longitude.config.Study;
import org.longitude.extract.RawResource;
import org.longitude.quarantine.QuarantineFiles;
import org.longitude.quarantine.QuarantineRecord;

/**
 * The normalize stage: raw resources in, {@link Fact}s out; quarantined records are written
 * in full to the restricted quarantine folder ({@link QuarantineFiles}); filtered records are
 * counted, not kept. Each bundle's {@link Ledger} (with the ledgers of the pull handed on to
 * it) is handed on with the facts.
 */
public final class Normalize extends PTransform<PCollection<RawResource>, PCollection<Fact>> {
  static final String STAGE = "normalize";

  private final Study study;
  private final LocalDate today;
  private final String quarantineDir;

  private Normalize(Study study, LocalDate today, String quarantineDir) {
    this.study = study;
    this.today = today;
    this.quarantineDir = quarantineDir;
  }

  /**
   * @param today the run's reference day: scores dated after it are quarantined
   * @param quarantineDir the restricted folder for quarantined records
   */
  public static Normalize with(Study study, LocalDate today, String quarantineDir) {
    return new Normalize(study, today, quarantineDir);
  }

  @Override
  public PCollection<Fact> expand(PCollection<RawResource> raw) {
    return raw.apply("ReadFacts", ParDo.of(new ReadFactsFn(study, today, quarantineDir)))
        .setCoder(SealedRecordCoder.of(Fact.class));
  }

  /** Reads each resource with its clinic's reader. */
  static final class ReadFactsFn extends DoFn<RawResource, Fact> {
    private final Study study;
    private final LocalDate today;
    private final String quarantineDir;
    private transient Map<String, ResourceReader> readers;
    private transient QuarantineFiles quarantine;
    private transient Ledger ledger;

    ReadFactsFn(Study study, LocalDate today, String quarantineDir) {
      this.study = study;
      this.today = today;
      this.quarantineDir = quarantineDir;
    }

    @Setup
    public void setup() {
      readers = new HashMap<>();
      Set<String> viewOnly = study.viewOnlyTypes(); // parses the views: once, not per clinic
      for (Study.Clinic clinic : study.clinics()) {
        readers.put(clinic.id(),
            new ResourceReader(clinic.id(), study.catalog(), clinic.mapping(), today, viewOnly));
      }
    }

    @StartBundle
    public void startBundle() {
      ledger = new Ledger();
      quarantine = new QuarantineFiles(quarantineDir, STAGE, ledger);
    }

    /** The bundle's ledger follows its facts. */
    @FinishBundle
    public void finishBundle(FinishBundleContext c) {
      quarantine.publish();
      FailureInjection.afterBundle("Normalize");
      if (!ledger.isEmpty()) {
        BundleEnd.output(c, new Fact.LedgerFact(ledger));
      }
    }

    @ProcessElement
    public void process(@Element RawResource raw, OutputReceiver<Fact> out) {
      if (raw.ledger() != null) {
        ledger.addAll(raw.ledger());
        return;
      }
      ResourceReader.Result result = readers.get(raw.clinic()).read(raw.resourceType(), raw.json());
      if (result.fact() != null) {
        if (result.fact() instanceof Fact.RetractionFact) {
          // The retraction itself is filtered here; what it removes is counted downstream.
          ledger.dropped(raw.clinic(), raw.resourceType(), Reason.STATUS_ENTERED_IN_ERROR, null);
        }
        out.output(result.fact());
        return;
      }
      Dropped d = result.dropped();
      ledger.dropped(raw.clinic(), raw.resourceType(), d.reason(), d.measure());
      if (d.reason().quarantined()) {
        quarantine.write(new QuarantineRecord(raw.clinic(), raw.resourceType(),
            d.reason().name(), d.measure(), STAGE, raw.text()));
      }
    }
  }
}
