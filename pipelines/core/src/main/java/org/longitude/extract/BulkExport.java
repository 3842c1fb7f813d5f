package org.longitude.extract;

import java.io.IOException;
import java.io.Serializable;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PCollection;
import org.longitude.common.BundleEnd;
import org.longitude.common.Ledger;
import org.longitude.common.Reason;
import org.longitude.config.Source;
import org.longitude.config.Study;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls the bulk-export tasks among its input: one kick-off and poll per clinic, then every
 * file of the manifest downloaded in parallel. Resources flow on like those of the other
 * sources. The jobs are recorded in the ledger and deleted by the launcher once the whole
 * pipeline has finished ({@link #deleteJobs}): a step that deleted a job as soon as its files
 * were read could not undo it when the runner retries a download, whose files would be gone.
 *
 * <p>A clinic fails ({@link Ledger#failed}) when its job cannot be started or does not finish
 * within the poll deadline, when the manifest names a file outside the clinic's origin (the
 * whole job is refused), when a download fails, or when the manifest lists error files (data
 * are missing; what was delivered still flows). The manifest's {@code transactionTime} is
 * reported as the clinic's high-water mark. Each step's ledger flows on with the resources.
 */
public final class BulkExport extends PTransform<PCollection<PullTask>, PCollection<RawResource>> {
  private static final Logger LOG = LoggerFactory.getLogger(BulkExport.class);

  /** The run's start, epoch millis: each clinic's time limit counts from it. */
  private final long startMillis;
  /** Where downloaded resources are landed; null: not landed. */
  private final String landingDir;
  private final PullProgress progress;

  private BulkExport(long startMillis, String landingDir, PullProgress progress) {
    this.startMillis = startMillis;
    this.landingDir = landingDir;
    this.progress = progress;
  }

  static BulkExport pull(Instant start, String landingDir, PullProgress progress) {
    return new BulkExport(start.toEpochMilli(), landingDir, progress);
  }

  /**
   * One output per step, never two: in Flink's batch mode a step whose output feeds two steps
   * hands it on only once it has finished, and the union of every source's resources then
   * waited for the kick-off's polls before any search or NDJSON pull could start (seconds in
   * the demo, the export's whole run on a slow server). So the kick-off's ledger travels to the
   * downloads with the files ({@link Step}).
   */
  @Override
  public PCollection<RawResource> expand(PCollection<PullTask> tasks) {
    return tasks
        .apply("OnlyBulkExports", Filter.by(t -> t.source().kind() == Source.Kind.BULK_EXPORT))
        .apply("KickOffAndPoll", ParDo.of(new KickOffFn(startMillis)))
        .setCoder(SerializableCoder.of(Step.class))
        .apply("SpreadDownloads", Reshuffle.viaRandomKey())
        .apply("Download", ParDo.of(new DownloadFn(startMillis, landingDir, progress)))
        .setCoder(RawResource.RawResourceCoder.of());
  }

  /** What the kick-off hands to the downloads: a file of a manifest, or its bundle's ledger. */
  record Step(BulkFile file, Ledger ledger) implements Serializable {
    static Step download(BulkFile file) {
      return new Step(file, null);
    }

    static Step handingOn(Ledger ledger) {
      return new Step(null, ledger);
    }
  }

  /** Counts the clinic failed and logs why (the message names clinic and URL, no content). */
  static void fail(Ledger ledger, String clinic, String message) {
    ledger.failed(clinic);
    LOG.error("{}", message);
  }

  /**
   * Deletes the export jobs of a finished run (the data are in hand; the spec asks the client
   * to say so): {@code jobs} by clinic, their status URLs, as the run's ledger lists them.
   */
  public static void deleteJobs(Study study, Map<String, List<String>> jobs, Instant start) {
    Clients clients = new Clients(start.toEpochMilli());
    jobs.forEach((clinic, statusUrls) -> {
      Study.Clinic c = study.clinicsById().get(clinic);
      for (String statusUrl : statusUrls) {
        try {
          deleteQuietly(clients.of(clinic, c.source()), clinic, statusUrl);
        } catch (PullFailedException e) {
          LOG.warn("{}; export job not deleted", e.getMessage());
        }
      }
    });
  }

  /** One client per clinic: each has its own credentials and SMART token cache. */
  private static final class Clients {
    private final Map<String, BulkExportClient> byClinic = new HashMap<>();
    private final java.time.Instant start;

    Clients(long startMillis) {
      this.start = java.time.Instant.ofEpochMilli(startMillis);
    }

    BulkExportClient of(String clinic, Source source) {
      return byClinic.computeIfAbsent(clinic, c -> {
        try {
          return new BulkExportClient(FhirHttp.forSource(source, start));
        } catch (RuntimeException e) { // a secret that cannot be read, a bad key file
          throw new PullFailedException("clinic '" + clinic + "': cannot set up "
              + "authentication or TLS: " + e.getMessage(), null);
        }
      });
    }
  }

  /**
   * Starts the clinic's export job, waits for its manifest, and emits one element per file;
   * a failed clinic and the export's time go into the bundle's ledger, handed on to the
   * downloads, which hand it on with theirs.
   */
  static final class KickOffFn extends DoFn<PullTask, Step> {
    private static final Logger LOG = LoggerFactory.getLogger(KickOffFn.class);
    private final long startMillis;
    private transient Clients clients;
    private transient Ledger ledger;

    KickOffFn(long startMillis) {
      this.startMillis = startMillis;
    }

    @Setup
    public void setup() {
      clients = new Clients(startMillis);
    }

    @StartBundle
    public void startBundle() {
      ledger = new Ledger();
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext c) {
      if (!ledger.isEmpty()) {
        BundleEnd.output(c, Step.handingOn(ledger));
      }
    }

    @ProcessElement
    public void process(@Element PullTask task, OutputReceiver<Step> out) {
      String clinic = task.clinic();
      String statusUrl = null;
      BulkExportClient client;
      try {
        client = clients.of(clinic, task.source());
      } catch (PullFailedException e) {
        fail(ledger, clinic, e.getMessage());
        return;
      }
      try {
        statusUrl = client.kickOff(task);
        LOG.info("clinic '{}': export job started", clinic);
        BulkManifest manifest = client.awaitManifest(statusUrl,
            task.source().pollDeadlineOrDefault(),
            progress -> LOG.info("clinic '{}': export in progress: {}", clinic, progress));
        manifest.requireSameOrigin(task.source().baseUrl());
        ledger.highWaterMark(clinic, manifest.transactionTime().toEpochMilli());
        ledger.exportJob(clinic, statusUrl); // deleted when the run has finished
        LOG.info("clinic '{}': export ready: {} output and {} error file(s)", clinic,
            manifest.output().size(), manifest.error().size());
        for (BulkManifest.File f : manifest.output()) {
          out.output(Step.download(new BulkFile(clinic, task.source(), f.type(), f.url(), false,
              manifest.requiresAccessToken())));
        }
        for (BulkManifest.File f : manifest.error()) {
          out.output(Step.download(new BulkFile(clinic, task.source(), f.type(), f.url(), true,
              manifest.requiresAccessToken())));
        }
      } catch (IOException | RuntimeException e) {
        fail(ledger, clinic, "clinic '" + clinic + "': bulk export failed at "
            + (statusUrl == null ? BulkExportClient.kickOffUrl(task) : statusUrl) + ": "
            + FhirSearchPull.describe(e));
        if (statusUrl != null) {
          deleteQuietly(client, clinic, statusUrl); // cancel the job; nothing of it is used
        }
      }
    }
  }

  /**
   * Downloads one file: output files flow on as resources, error files are counted; the
   * bundle's ledger (with the kick-offs' ledgers it was handed) flows on with its resources.
   */
  static final class DownloadFn extends DoFn<Step, RawResource> {
    private static final Logger LOG = LoggerFactory.getLogger(DownloadFn.class);
    private final long startMillis;
    private final String landingDir;
    private final PullProgress progress;
    private transient Clients clients;
    private transient Ledger ledger;

    DownloadFn(long startMillis, String landingDir, PullProgress progress) {
      this.startMillis = startMillis;
      this.landingDir = landingDir;
      this.progress = progress;
    }

    @Setup
    public void setup() {
      clients = new Clients(startMillis);
    }

    @StartBundle
    public void startBundle() {
      ledger = new Ledger();
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext c) {
      RawResource.handOn(ledger, r -> BundleEnd.output(c, r));
    }

    @ProcessElement
    public void process(@Element Step step, OutputReceiver<RawResource> out) {
      if (step.ledger() != null) {
        ledger.addAll(step.ledger());
        return;
      }
      BulkFile file = step.file();
      try {
        BulkExportClient client = clients.of(file.clinic(), file.source());
        if (file.error()) {
          long[] issues = {0};
          client.download(file, new NdjsonFilePull.Sink() {
            @Override
            public void accept(byte[] json) {
              issues[0]++;
            }

            @Override
            public void refuse(Reason reason, long lineNumber) {
              issues[0]++;
            }
          });
          Metrics.counter(Extract.CLINICS_NAMESPACE, file.clinic() + "|export_errors")
              .inc(issues[0]);
          fail(ledger, file.clinic(), "clinic '" + file.clinic() + "': the export reported "
              + issues[0] + " error(s) (OperationOutcome) in " + file.url()
              + "; the clinic's data are incomplete");
        } else {
          try (LandingFile landing = LandingFile.of(landingDir, file.clinic(), file.type(),
              file.url(), ledger)) {
            AccountedSink sink = new AccountedSink(
                progress.task(file.clinic(), file.type(), file.url()), file.clinic(),
                file.type(), file.url(), ledger, resource -> {
                  landing.write(resource.json());
                  out.output(resource);
                });
            long lines;
            try {
              lines = client.download(file, sink);
            } finally {
              sink.finish();
            }
            LOG.info("clinic '{}': {} line(s) of {} downloaded", file.clinic(), lines,
                file.type());
          }
        }
      } catch (HandedOnFailure e) {
        throw e.later();
      } catch (IOException | RuntimeException e) {
        fail(ledger, file.clinic(), "clinic '" + file.clinic() + "': bulk export download "
            + "failed at " + file.url() + ": " + FhirSearchPull.describe(e));
      }
    }
  }

  /** The data are in hand either way: a job that cannot be deleted is only logged. */
  private static void deleteQuietly(BulkExportClient client, String clinic, String statusUrl) {
    try {
      BulkExportClient.Deletion deletion = client.delete(statusUrl);
      if (deletion.deleted()) {
        LOG.info("clinic '{}': export job deleted", clinic);
      } else {
        LOG.info("clinic '{}': export job done (the server had nothing left to delete)", clinic);
        LOG.debug("clinic '{}': the server answered the job's DELETE with 404: {}", clinic,
            deletion.reason());
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("clinic '{}': could not delete export job {}: {}", clinic, statusUrl,
          FhirSearchPull.describe(e));
    }
  }
}
