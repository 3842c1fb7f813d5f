package org.longitude.extract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.longitude.common.Accounting;
import org.longitude.common.Reason;
import org.longitude.config.Source;
import org.longitude.config.Study;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The extract stage: plans one pull task per clinic and resource type (or per NDJSON file),
 * spreads the tasks over workers, pulls, and optionally lands every resource unchanged under
 * {@code <landing>/<clinic>/<ResourceType>-*.ndjson}.
 *
 * <p>A clinic whose pull fails is counted in {@link #CLINICS_NAMESPACE} as failed; the other
 * clinics' data still flow.
 */
public final class Extract extends PTransform<PBegin, PCollection<RawResource>> {
  public static final String CLINICS_NAMESPACE = "longitude.clinics";
  static final List<String> RESOURCE_TYPES =
      List.of("Patient", "Condition", "MedicationAdministration", "Observation");

  private final Study study;
  private final String landingDir;

  private Extract(Study study, String landingDir) {
    this.study = study;
    this.landingDir = landingDir;
  }

  public static Extract from(Study study) {
    return new Extract(study, null);
  }

  /** Also lands every pulled resource, unchanged, under {@code dir} (restricted zone). */
  public Extract withLanding(String dir) {
    return new Extract(study, dir);
  }

  @Override
  public PCollection<RawResource> expand(PBegin input) {
    PCollection<RawResource> resources = input
        .apply("PlanPulls", Create.of(plan(study)).withCoder(SerializableCoder.of(PullTask.class)))
        .apply("SpreadPulls", Reshuffle.viaRandomKey())
        .apply("Pull", ParDo.of(new PullFn()))
        .setCoder(RawResource.RawResourceCoder.of());
    if (landingDir != null) {
      resources.apply("Land", WriteLanding.to(landingDir));
    }
    return resources;
  }

  /** One task per clinic and resource type for FHIR search, one per file for NDJSON. */
  static List<PullTask> plan(Study study) {
    List<PullTask> tasks = new ArrayList<>();
    for (Study.Clinic clinic : study.clinics()) {
      Source source = clinic.source();
      switch (source.kind()) {
        case FHIR_SEARCH -> {
          for (String type : RESOURCE_TYPES) {
            String query = type.equals("Observation")
                ? "code=" + URLEncoder.encode(String.join(",", study.observationCodes(clinic)),
                    StandardCharsets.UTF_8)
                : "";
            tasks.add(new PullTask(clinic.id(), source, type, query));
          }
          if (!clinic.mapping().proceduresOrEmpty().isEmpty()) {
            String codes = clinic.mapping().proceduresOrEmpty().stream()
                .map(c -> c.system() + "|" + c.code()).collect(java.util.stream.Collectors.joining(","));
            tasks.add(new PullTask(clinic.id(), source, "Procedure",
                "code=" + URLEncoder.encode(codes, StandardCharsets.UTF_8)));
          }
        }
        case NDJSON -> {
          for (Path file : ndjsonFiles(Path.of(source.directory()), clinic.id())) {
            tasks.add(new PullTask(clinic.id(), source, NdjsonFilePull.resourceTypeOf(file),
                file.toString()));
          }
        }
      }
    }
    return tasks;
  }

  private static List<Path> ndjsonFiles(Path dir, String clinic) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".ndjson") || f.toString().endsWith(".ndjson.gz"))
          .sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("clinic '" + clinic + "': cannot list NDJSON folder " + dir, e);
    }
  }

  /**
   * Runs one pull task, streaming resources out page by page. A task that fails counts its
   * clinic as failed ({@code <clinic>|failed} in {@link #CLINICS_NAMESPACE}); what it pulled
   * before the failure has already been handed on (see README, "When a clinic fails").
   */
  static final class PullFn extends DoFn<PullTask, RawResource> {
    private static final Logger LOG = LoggerFactory.getLogger(PullFn.class);
    private final Counter pages = Metrics.counter(CLINICS_NAMESPACE, "pages");
    /** One client per clinic: each has its own credentials and SMART token cache. */
    private transient Map<String, FhirSearchPull> searches;

    @Setup
    public void setup() {
      searches = new HashMap<>();
    }

    @ProcessElement
    public void process(@Element PullTask task, OutputReceiver<RawResource> out) {
      try {
        java.util.function.Consumer<String> sink = json -> {
          Accounting.read(task.clinic(), task.resourceType());
          out.output(new RawResource(task.clinic(), task.resourceType(), json));
        };
        switch (task.source().kind()) {
          case FHIR_SEARCH -> {
            int n = search(task).pull(task, sink);
            pages.inc(n);
            // per clinic too, for the progress display (pipeline.ProgressReporter)
            Metrics.counter(CLINICS_NAMESPACE, task.clinic() + "|pages").inc(n);
          }
          case NDJSON -> NdjsonFilePull.pull(task, new NdjsonFilePull.Sink() {
            @Override
            public void accept(String json) {
              sink.accept(json);
            }

            @Override
            public void refuse(Reason reason, long lineNumber) {
              // Counted read and quarantined here: the line is never held whole, so only its
              // place is kept (no content, so nothing of it reaches the log).
              Accounting.read(task.clinic(), task.resourceType());
              Accounting.dropped(task.clinic(), task.resourceType(), reason, null);
              LOG.warn("clinic '{}': {} line {} quarantined at the source: {}", task.clinic(),
                  task.query(), lineNumber, reason);
            }
          });
        }
      } catch (PullFailedException e) {
        Metrics.counter(CLINICS_NAMESPACE, task.clinic() + "|failed").inc();
        LOG.error("{}", e.getMessage());
      }
    }

    private FhirSearchPull search(PullTask task) {
      FhirSearchPull search = searches.get(task.clinic());
      if (search == null) {
        try {
          search = new FhirSearchPull(FhirHttp.defaults(task.source().auth()));
        } catch (RuntimeException e) { // a secret that cannot be read, a bad key file
          throw new PullFailedException("clinic '" + task.clinic() + "': cannot set up "
              + "authentication: " + e.getMessage(), null);
        }
        searches.put(task.clinic(), search);
      }
      return search;
    }
  }
}
