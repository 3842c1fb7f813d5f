package org.longitude.extract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.longitude.common.BeamFiles;
import org.longitude.common.BundleEnd;
import org.longitude.common.FailureInjection;
import org.longitude.common.Instants;
import org.longitude.common.Ledger;
import org.longitude.config.Source;
import org.longitude.config.Study;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The extract stage: plans one pull task per clinic and resource type (and {@code
 * _lastUpdated} slice; or per NDJSON file; or one Bulk Data export job per clinic, whose files
 * are spread in turn, see {@link BulkExport}), spreads the tasks over workers, pulls, and
 * optionally lands every pulled resource unchanged under
 * {@code <landing>/<clinic>/<ResourceType>-*.ndjson}. Incremental runs pull only what changed
 * and merge in earlier landings; a re-run from landing reads a landing instead of pulling.
 *
 * <p>What the pull read, and the clinics whose pull failed, go into each bundle's
 * {@link Ledger}, handed on with the resources ({@link RawResource#handingOn}); the other
 * clinics' data still flow past a failed one.
 */
public final class Extract extends PTransform<PBegin, PCollection<RawResource>> {
  /** Live counters of the pull (pages, refused files, export errors): display and logs only. */
  public static final String CLINICS_NAMESPACE = "longitude.clinics";

  private final Study study;
  private final String landingDir;
  /** Per clinic: pull only what changed after this ISO instant (incremental). */
  private final Map<String, String> since;
  /** Per clinic: earlier landing folders whose NDJSON is merged into this run. */
  private final Map<String, List<String>> merged;
  /** Per clinic: landing folders read instead of pulling (a re-run from landing); or null. */
  private final Map<String, List<String>> fromLanding;
  /** Where this pull's live counts are shown. */
  private final PullProgress progress;

  private Extract(Study study, String landingDir, Map<String, String> since,
      Map<String, List<String>> merged, Map<String, List<String>> fromLanding,
      PullProgress progress) {
    this.study = study;
    this.landingDir = landingDir;
    this.since = since;
    this.merged = merged;
    this.fromLanding = fromLanding;
    this.progress = progress;
  }

  /** A full pull of every clinic. */
  public static Extract from(Study study) {
    return new Extract(study, null, Map.of(), Map.of(), null, PullProgress.in(null));
  }

  /**
   * No pulling: reads each clinic's NDJSON from landing folders of an earlier run (a re-run of
   * the later stages). Nothing is landed again.
   */
  public static Extract fromLanding(Study study, Map<String, List<String>> folders) {
    return new Extract(study, null, Map.of(), Map.of(), Map.copyOf(folders),
        PullProgress.in(null));
  }

  /** Also lands every pulled resource, unchanged, under {@code dir} (restricted zone). */
  public Extract withLanding(String dir) {
    return new Extract(study, dir, since, merged, fromLanding, progress);
  }

  /**
   * Pull tasks outside the launcher's JVM (a cluster's workers) write their live counts to
   * {@code folder}, on storage the launcher reads too (see {@link PullProgress}).
   */
  public Extract withProgressFiles(String folder) {
    return new Extract(study, landingDir, since, merged, fromLanding,
        new PullProgress(progress.key(), folder));
  }

  /**
   * Incremental: pulls each clinic in {@code sinceByClinic} only for what changed after its
   * mark, and merges in the NDJSON of its earlier landings ({@code landedByClinic}), which are
   * counted as re-read ({@link Ledger#reread}) and not landed again.
   */
  public Extract incremental(Map<String, String> sinceByClinic,
      Map<String, List<String>> landedByClinic) {
    return new Extract(study, landingDir, Map.copyOf(sinceByClinic), Map.copyOf(landedByClinic),
        fromLanding, progress);
  }

  /** Where this pull's live counts are shown while it runs. */
  public PullProgress progress() {
    return progress;
  }

  @Override
  public PCollection<RawResource> expand(PBegin input) {
    Instant start = Instant.now(); // the clinics' time limits count from here
    List<PullTask> tasks = fromLanding != null ? landedTasks(fromLanding)
        : plan(study, since, start);
    PCollection<RawResource> resources =
        pull(input, "", tasks, start, landingDir, false, progress);
    List<PullTask> reread = landedTasks(merged);
    if (reread.isEmpty()) {
      return resources;
    }
    return PCollectionList.of(resources)
        .and(pull(input, "Landed", reread, start, null, true, progress))
        .apply("MergeLanded", Flatten.pCollections());
  }

  /**
   * Pulls {@code tasks}, landing what they read in {@code landing} (null: not landed);
   * {@code reread} when they read earlier landings.
   */
  private static PCollection<RawResource> pull(PBegin input, String prefix,
      List<PullTask> tasks, Instant start, String landing, boolean reread, PullProgress progress) {
    PCollection<PullTask> spread = input
        .apply(prefix + "PlanPulls",
            Create.of(tasks).withCoder(SerializableCoder.of(PullTask.class)))
        .apply(prefix + "SpreadPulls", Reshuffle.viaRandomKey());
    PCollection<RawResource> pulled = spread
        .apply(prefix + "Pull", ParDo.of(new PullFn(start, landing, reread, progress)))
        .setCoder(RawResource.RawResourceCoder.of());
    if (tasks.stream().noneMatch(t -> t.source().kind() == Source.Kind.BULK_EXPORT)) {
      return pulled;
    }
    return PCollectionList.of(pulled)
        .and(spread.apply(prefix + "BulkExport", BulkExport.pull(start, landing, progress)))
        .apply(prefix + "AllSources", Flatten.pCollections());
  }

  static List<PullTask> plan(Study study) {
    return plan(study, Map.of(), Instant.now());
  }

  /**
   * One task per clinic, resource type and {@code _lastUpdated} slice for FHIR search, one per
   * file for NDJSON, one per clinic for bulk export (its files are planned when its manifest
   * is ready). Clinics in {@code since} ask only for what changed after their mark.
   *
   * @param now the end of the sliced range (the last slice is open-ended, so a local clock
   *     that is off only unbalances slices, never loses data)
   */
  static List<PullTask> plan(Study study, Map<String, String> since, Instant now) {
    List<PullTask> tasks = new ArrayList<>();
    for (Study.Clinic clinic : study.clinics()) {
      Source source = clinic.source();
      switch (source.kind()) {
        case FHIR_SEARCH -> {
          String mark = since.get(clinic.id());
          List<String> slices = slices(source, mark, now);
          for (Map.Entry<String, String> search : searches(study, clinic).entrySet()) {
            for (String slice : slices) {
              String query = search.getValue().isEmpty() ? slice
                  : slice.isEmpty() ? search.getValue() : search.getValue() + "&" + slice;
              tasks.add(new PullTask(clinic.id(), source, search.getKey(), query, mark));
            }
          }
        }
        case NDJSON -> {
          for (MatchResult.Metadata file : ndjsonFiles(source.directory(), clinic.id())) {
            tasks.addAll(NdjsonFilePull.tasks(clinic.id(), source,
                NdjsonFilePull.resourceTypeOf(file.resourceId().getFilename()), file));
          }
        }
        case BULK_EXPORT -> tasks.add(new PullTask(clinic.id(), source, "$export",
            exportQuery(study, clinic), since.get(clinic.id())));
      }
    }
    return tasks;
  }

  /**
   * The kick-off parameters: the types the search pulls, Observation (and Procedure) narrowed
   * to the study's codes by {@code _typeFilter}; the types only the study's views read, whole.
   */
  static String exportQuery(Study study, Study.Clinic clinic) {
    List<String> types = new ArrayList<>(Study.TIMELINE_TYPES);
    List<String> filters = new ArrayList<>();
    filters.add("Observation?code=" + URLEncoder.encode(
        String.join(",", study.observationCodes(clinic)), StandardCharsets.UTF_8));
    if (!clinic.mapping().proceduresOrEmpty().isEmpty()) {
      types.add("Procedure");
      filters.add("Procedure?code=" + URLEncoder.encode(clinic.mapping().proceduresOrEmpty()
          .stream().map(c -> c.system() + "|" + c.code())
          .collect(java.util.stream.Collectors.joining(",")), StandardCharsets.UTF_8));
    }
    types.addAll(study.viewOnlyTypes());
    // Each filter is one query, URL-encoded again: its own '?', '=' and ',' stay inside it.
    return "_type=" + String.join(",", types) + "&_typeFilter=" + filters.stream()
        .map(f -> URLEncoder.encode(f, StandardCharsets.UTF_8))
        .collect(java.util.stream.Collectors.joining(","));
  }

  /** Resource type to its search query (without slices, since and _count). */
  private static Map<String, String> searches(Study study, Study.Clinic clinic) {
    Map<String, String> searches = new LinkedHashMap<>();
    for (String type : Study.TIMELINE_TYPES) {
      searches.put(type, type.equals("Observation")
          ? "code=" + URLEncoder.encode(String.join(",", study.observationCodes(clinic)),
              StandardCharsets.UTF_8)
          : "");
    }
    if (!clinic.mapping().proceduresOrEmpty().isEmpty()) {
      String codes = clinic.mapping().proceduresOrEmpty().stream()
          .map(c -> c.system() + "|" + c.code()).collect(Collectors.joining(","));
      searches.put("Procedure", "code=" + URLEncoder.encode(codes, StandardCharsets.UTF_8));
    }
    study.viewOnlyTypes().forEach(type -> searches.put(type, "")); // for the views, whole
    return searches;
  }

  /** The slice queries of a source: from its slice_from (or the mark, if later) to now. */
  private static List<String> slices(Source source, String mark, Instant now) {
    if (source.slicesOrDefault() <= 1 || source.sliceFrom() == null) {
      return List.of("");
    }
    Instant from = Instants.parse(source.sliceFrom());
    if (mark != null && Instants.parse(mark).isAfter(from)) {
      from = Instants.parse(mark);
    }
    return Slices.queries(source.slicesOrDefault(), from, now);
  }

  /** One NDJSON task per landed file of each clinic's landing folders. */
  static List<PullTask> landedTasks(Map<String, List<String>> foldersByClinic) {
    List<PullTask> tasks = new ArrayList<>();
    foldersByClinic.forEach((clinic, folders) -> {
      for (String folder : folders) {
        Source landed = new Source(Source.Kind.NDJSON, null, null, folder);
        for (MatchResult.Metadata file : ndjsonFiles(folder, clinic)) {
          tasks.addAll(NdjsonFilePull.tasks(clinic, landed,
              landedType(file.resourceId().getFilename()), file));
        }
      }
    });
    return tasks;
  }

  /** The resource type of a landed file, named {@code <Type>-00000-of-00001.ndjson}. */
  static String landedType(String name) {
    int end = name.indexOf('-');
    return end < 0 ? NdjsonFilePull.resourceTypeOf(name) : name.substring(0, end);
  }

  /**
   * The NDJSON files of a folder, sorted: a local folder or a URL read through Beam's file
   * systems ({@code s3://bucket/export/}); hidden files (a landing still being written) are
   * not read.
   */
  private static List<MatchResult.Metadata> ndjsonFiles(String dir, String clinic) {
    try {
      if (!BeamFiles.isUrl(dir) && !BeamFiles.folderExists(dir)) {
        throw new IOException("no such folder");
      }
      return BeamFiles.list(BeamFiles.child(dir, "*")).stream().filter(f -> {
        String name = f.resourceId().getFilename();
        return !name.startsWith(".") && (name.endsWith(".ndjson") || name.endsWith(".ndjson.gz"));
      }).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("clinic '" + clinic + "': cannot list NDJSON folder " + dir, e);
    }
  }

  /**
   * Runs one pull task, streaming resources out page by page. A task that fails counts its
   * clinic as failed in the bundle's ledger; what it pulled before the failure has already
   * been handed on (see README, "When a clinic fails"). The ledger follows the bundle's
   * resources.
   */
  static final class PullFn extends DoFn<PullTask, RawResource> {
    private static final Logger LOG = LoggerFactory.getLogger(PullFn.class);
    private final Counter pages = Metrics.counter(CLINICS_NAMESPACE, "pages");
    /** The run's start, epoch millis: each clinic's time limit counts from it. */
    private final long startMillis;
    /** Whether the tasks re-read earlier landings (counted as {@link Ledger#reread}). */
    private final boolean reread;
    /** Where pulled resources are landed; null: not landed. */
    private final String landing;
    private final PullProgress progress;
    /** One client per clinic: each has its own credentials and SMART token cache. */
    private transient Map<String, FhirSearchPull> searches;
    private transient Ledger ledger;

    PullFn(Instant start, String landing, boolean reread, PullProgress progress) {
      this.landing = landing;
      this.progress = progress;
      this.startMillis = start.toEpochMilli();
      this.reread = reread;
    }

    @Setup
    public void setup() {
      searches = new HashMap<>();
    }

    @StartBundle
    public void startBundle() {
      ledger = new Ledger();
    }

    @ProcessElement
    public void process(@Element PullTask task, OutputReceiver<RawResource> out) {
      long[] handedOn = {0};
      String identity = task.source().kind() + " " + task.query() + " " + task.bytes();
      try (LandingFile landed = LandingFile.of(landing, task.clinic(), task.resourceType(),
          identity, ledger)) {
        AccountedSink sink = new AccountedSink(
            progress.task(task.clinic(), task.resourceType(), identity), task.clinic(),
            task.resourceType(), task.where(), ledger, resource -> {
                  landed.write(resource.json());
                  handedOn[0]++;
                  out.output(resource);
                });
        try {
          switch (task.source().kind()) {
            case FHIR_SEARCH -> {
              int n = search(task).pull(task,
                  json -> sink.accept(json.getBytes(StandardCharsets.UTF_8)), sink::page,
                  sink::serverTime);
              pages.inc(n);
              // per clinic too, for the progress display (pipeline.ProgressReporter)
              Metrics.counter(CLINICS_NAMESPACE, task.clinic() + "|pages").inc(n);
            }
            case NDJSON -> NdjsonFilePull.pull(task, sink);
            case BULK_EXPORT -> { } // pulled by BulkExport: one job, then its manifest's files
          }
        } finally {
          sink.finish();
        }
      } catch (PullFailedException e) {
        ledger.failed(task.clinic());
        LOG.error("{}", e.getMessage());
      } catch (HandedOnFailure e) {
        throw e.later();
      } finally {
        if (reread && handedOn[0] > 0) {
          ledger.reread(task.clinic(), handedOn[0]);
        }
      }
    }

    /** The bundle's ledger follows its resources. */
    @FinishBundle
    public void finishBundle(FinishBundleContext c) {
      FailureInjection.afterBundle("Pull");
      RawResource.handOn(ledger, r -> BundleEnd.output(c, r));
    }

    private FhirSearchPull search(PullTask task) {
      FhirSearchPull search = searches.get(task.clinic());
      if (search == null) {
        try {
          search = new FhirSearchPull(
              FhirHttp.forSource(task.source(), Instant.ofEpochMilli(startMillis)));
        } catch (RuntimeException e) { // a secret that cannot be read, a bad key or trust store
          throw new PullFailedException("clinic '" + task.clinic() + "': cannot set up "
              + "authentication or TLS: " + e.getMessage(), null);
        }
        searches.put(task.clinic(), search);
      }
      return search;
    }
  }
}
