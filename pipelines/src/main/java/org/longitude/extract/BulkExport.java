package org.longitude.extract;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.longitude.common.Reason;
import org.longitude.config.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls the bulk-export tasks among its input: one kick-off and poll per clinic, then every
 * file of the manifest downloaded in parallel, then the job deleted once all its files are
 * done. Resources flow on like those of the other sources.
 *
 * <p>A clinic fails ({@code <clinic>|failed} in {@link Extract#CLINICS_NAMESPACE}) when its job
 * cannot be started or does not finish within the poll deadline, when the manifest names a
 * file outside the clinic's origin (the whole job is refused), when a download fails, or when
 * the manifest lists error files (data are missing; what was delivered still flows). The
 * manifest's {@code transactionTime} is reported as {@code <clinic>|high_water_mark}.
 */
final class BulkExport extends PTransform<PCollection<PullTask>, PCollection<RawResource>> {
  private static final Logger LOG = LoggerFactory.getLogger(BulkExport.class);
  private static final TupleTag<RawResource> RESOURCES = new TupleTag<>() {};
  private static final TupleTag<KV<String, BulkFile>> DONE = new TupleTag<>() {};

  /** The run's start, epoch millis: each clinic's time limit counts from it. */
  private final long startMillis;
  /** Where downloaded resources are landed; null: not landed. */
  private final String landingDir;
  private final String progressKey;

  private BulkExport(long startMillis, String landingDir, String progressKey) {
    this.startMillis = startMillis;
    this.landingDir = landingDir;
    this.progressKey = progressKey;
  }

  static BulkExport pull(java.time.Instant start, String landingDir, String progressKey) {
    return new BulkExport(start.toEpochMilli(), landingDir, progressKey);
  }

  @Override
  public PCollection<RawResource> expand(PCollection<PullTask> tasks) {
    PCollectionTuple downloaded = tasks
        .apply("OnlyBulkExports", Filter.by(t -> t.source().kind() == Source.Kind.BULK_EXPORT))
        .apply("KickOffAndPoll", ParDo.of(new KickOffFn(startMillis)))
        .setCoder(SerializableCoder.of(BulkFile.class))
        .apply("SpreadDownloads", Reshuffle.viaRandomKey())
        .apply("Download", ParDo.of(new DownloadFn(startMillis, landingDir, progressKey))
            .withOutputTags(RESOURCES, TupleTagList.of(DONE)));
    downloaded.get(DONE)
        .setCoder(KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(BulkFile.class)))
        .apply("GroupByJob", GroupByKey.create())
        .apply("DeleteJob", ParDo.of(new DeleteJobFn(startMillis)));
    return downloaded.get(RESOURCES).setCoder(RawResource.RawResourceCoder.of());
  }

  /** Counts the clinic failed and logs why (the message names clinic and URL, no content). */
  static void fail(String clinic, String message) {
    Metrics.counter(Extract.CLINICS_NAMESPACE, clinic + "|failed").inc();
    LOG.error("{}", message);
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

  /** Starts the clinic's export job, waits for its manifest, and emits one element per file. */
  static final class KickOffFn extends DoFn<PullTask, BulkFile> {
    private static final Logger LOG = LoggerFactory.getLogger(KickOffFn.class);
    private final long startMillis;
    private transient Clients clients;

    KickOffFn(long startMillis) {
      this.startMillis = startMillis;
    }

    @Setup
    public void setup() {
      clients = new Clients(startMillis);
    }

    @ProcessElement
    public void process(@Element PullTask task, OutputReceiver<BulkFile> out) {
      String clinic = task.clinic();
      String statusUrl = null;
      BulkExportClient client;
      try {
        client = clients.of(clinic, task.source());
      } catch (PullFailedException e) {
        fail(clinic, e.getMessage());
        return;
      }
      try {
        statusUrl = client.kickOff(task);
        LOG.info("clinic '{}': export job started", clinic);
        BulkManifest manifest = client.awaitManifest(statusUrl,
            task.source().pollDeadlineOrDefault(),
            progress -> LOG.info("clinic '{}': export in progress: {}", clinic, progress));
        manifest.requireSameOrigin(task.source().baseUrl());
        Metrics.distribution(Extract.CLINICS_NAMESPACE, clinic + "|high_water_mark")
            .update(manifest.transactionTime().toEpochMilli());
        int files = manifest.output().size() + manifest.error().size();
        LOG.info("clinic '{}': export ready: {} output and {} error file(s)", clinic,
            manifest.output().size(), manifest.error().size());
        for (BulkManifest.File f : manifest.output()) {
          out.output(new BulkFile(clinic, task.source(), statusUrl, f.type(), f.url(), false,
              manifest.requiresAccessToken(), files));
        }
        for (BulkManifest.File f : manifest.error()) {
          out.output(new BulkFile(clinic, task.source(), statusUrl, f.type(), f.url(), true,
              manifest.requiresAccessToken(), files));
        }
        if (files == 0) {
          deleteQuietly(client, clinic, statusUrl);
        }
      } catch (IOException | RuntimeException e) {
        fail(clinic, "clinic '" + clinic + "': bulk export failed at "
            + (statusUrl == null ? BulkExportClient.kickOffUrl(task) : statusUrl) + ": "
            + FhirSearchPull.describe(e));
        if (statusUrl != null) {
          deleteQuietly(client, clinic, statusUrl); // cancel the job; nothing of it is used
        }
      }
    }
  }

  /** Downloads one file: output files flow on as resources, error files are counted. */
  static final class DownloadFn extends DoFn<BulkFile, RawResource> {
    private static final Logger LOG = LoggerFactory.getLogger(DownloadFn.class);
    private final long startMillis;
    private final String landingDir;
    private final String progressKey;
    private transient Clients clients;

    DownloadFn(long startMillis, String landingDir, String progressKey) {
      this.startMillis = startMillis;
      this.landingDir = landingDir;
      this.progressKey = progressKey;
    }

    @Setup
    public void setup() {
      clients = new Clients(startMillis);
    }

    @ProcessElement
    public void process(@Element BulkFile file, MultiOutputReceiver out) {
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
          fail(file.clinic(), "clinic '" + file.clinic() + "': the export reported "
              + issues[0] + " error(s) (OperationOutcome) in " + file.url()
              + "; the clinic's data are incomplete");
        } else {
          try (LandingFile landing = LandingFile.of(landingDir, file.clinic(), file.type(),
              file.url())) {
            long lines = client.download(file, new AccountedSink(progressKey, file.clinic(),
                file.type(), file.url(), resource -> {
                  landing.write(resource.json());
                  out.get(RESOURCES).output(resource);
                }));
            LOG.info("clinic '{}': {} line(s) of {} downloaded", file.clinic(), lines,
                file.type());
          }
        }
      } catch (IOException | RuntimeException e) {
        fail(file.clinic(), "clinic '" + file.clinic() + "': bulk export download failed at "
            + file.url() + ": " + FhirSearchPull.describe(e));
      } finally {
        out.get(DONE).output(KV.of(file.job(), file));
      }
    }
  }

  /** Deletes a job once every file of its manifest has been downloaded (or has failed). */
  static final class DeleteJobFn extends DoFn<KV<String, Iterable<BulkFile>>, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(DeleteJobFn.class);
    private final long startMillis;
    private transient Clients clients;

    DeleteJobFn(long startMillis) {
      this.startMillis = startMillis;
    }

    @Setup
    public void setup() {
      clients = new Clients(startMillis);
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<BulkFile>> job) {
      BulkFile first = null;
      int done = 0;
      for (BulkFile file : job.getValue()) { // once only: some runners cannot re-iterate
        first = first == null ? file : first;
        done++;
      }
      if (done != first.jobFiles()) {
        LOG.warn("clinic '{}': {} of {} export file(s) accounted for; job not deleted",
            first.clinic(), done, first.jobFiles());
        return;
      }
      try {
        deleteQuietly(clients.of(first.clinic(), first.source()), first.clinic(), job.getKey());
      } catch (PullFailedException e) {
        LOG.warn("{}; export job not deleted", e.getMessage());
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
