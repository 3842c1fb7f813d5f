package org.longitude.demo;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.FifoMemoryPagingProvider;
import ca.uhn.fhir.rest.server.RestfulServer;
import jakarta.servlet.DispatcherType;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Resource;

/**
 * One running demo clinic: a HAPI FHIR R4 {@link RestfulServer} on its own Jetty server bound to
 * an ephemeral port, serving Patient, Observation, Condition and MedicationAdministration with
 * read/vread and search ({@code _id}, {@code _lastUpdated}, {@code code}, {@code patient},
 * {@code subject}, {@code _count}), paged by the server ({@code Bundle.link[next]}), in
 * (lastUpdated, id) order; and FHIR Bulk Data {@code $export} ({@link BulkExportServlet}),
 * or only that ({@link ExportPlan#exportOnly()}).
 *
 * <p>Mutations for incremental-run tests go through {@link #upsert} and {@link #retract}; both
 * keep history and stamp meta.lastUpdated from the options' clock.
 */
public final class DemoClinic implements AutoCloseable {

  private final ClinicProfile profile;
  private final ResourceStore store;
  private final Server jetty;
  private final String baseUrl;
  private final String rootUrl;
  private final ClinicGate gate;
  private final BulkExportServlet export;
  private final CompletableFuture<Void> loaded;

  private DemoClinic(ClinicProfile profile, ResourceStore store, Server jetty, String rootUrl,
      ClinicGate gate, BulkExportServlet export, CompletableFuture<Void> loaded) {
    this.profile = profile;
    this.store = store;
    this.jetty = jetty;
    this.rootUrl = rootUrl;
    this.baseUrl = rootUrl + "/fhir";
    this.gate = gate;
    this.export = export;
    this.loaded = loaded;
  }

  /** Loads every version of {@code dataset} and starts serving it. */
  public static DemoClinic start(ClinicDataset dataset, ClinicServerOptions options) {
    FhirContext fhir = FhirContext.forR4Cached();
    ResourceStore store = new ResourceStore(fhir, options.clock(), options.compressedStorage());
    for (Resource resource : dataset.history()) {
      store.load(resource);
    }
    return serve(dataset.profile(), store, options, CompletableFuture.completedFuture(null));
  }

  /**
   * Loads a clinic from Bulk Data NDJSON files ({@code <Type>.ndjson} of
   * {@link NdjsonExport#RESOURCE_TYPES}, missing files skipped), streamed line by line and read
   * without HAPI, and starts serving it: the load path for clinics of millions of resources
   * (benchmarks), where a {@link ClinicDataset} would not fit in memory.
   */
  public static DemoClinic startFromNdjson(ClinicProfile profile, java.nio.file.Path dir,
      ClinicServerOptions options) throws java.io.IOException {
    ResourceStore store = new ResourceStore(FhirContext.forR4Cached(), options.clock(),
        options.compressedStorage());
    loadNdjson(store, dir);
    return serve(profile, store, options, CompletableFuture.completedFuture(null));
  }

  /**
   * As {@link #startFromNdjson}, but serving at once while {@code loader} loads the files:
   * requests, and this clinic's own reads ({@link #exportNdjson}, {@link #count}, ...), wait
   * until they are loaded. A load that fails completes {@link #loaded()} with its failure;
   * requests are then answered 503 with its message, and reads throw.
   */
  static DemoClinic startLoading(ClinicProfile profile, java.nio.file.Path dir,
      ClinicServerOptions options, Executor loader) {
    ResourceStore store = new ResourceStore(FhirContext.forR4Cached(), options.clock(),
        options.compressedStorage());
    CompletableFuture<Void> loaded = new CompletableFuture<>();
    DemoClinic clinic = serve(profile, store, options, loaded);
    loader.execute(() -> {
      try {
        loadNdjson(store, dir);
        loaded.complete(null);
      } catch (java.io.IOException | RuntimeException | Error e) { // never leave requests waiting
        loaded.completeExceptionally(e);
      }
    });
    return clinic;
  }

  private static void loadNdjson(ResourceStore store, java.nio.file.Path dir)
      throws java.io.IOException {
    for (String type : NdjsonExport.RESOURCE_TYPES) {
      java.nio.file.Path file = dir.resolve(type + ".ndjson");
      if (java.nio.file.Files.exists(file)) {
        NdjsonLines.read(file, (line, from, length, number) -> {
          try {
            store.loadJson(line, from, length);
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file.getFileName() + " line " + number + ": "
                + e.getMessage(), e);
          }
        });
      }
    }
  }

  /** Completes when the clinic's data are loaded (at once, unless {@link #startLoading}). */
  public CompletableFuture<Void> loaded() {
    return loaded;
  }

  /** Waits for the clinic's data; throws when they could not be loaded. */
  private void awaitLoaded() {
    try {
      loaded.join();
    } catch (CompletionException e) {
      throw new IllegalStateException("demo clinic " + clinicId() + " could not load its data: "
          + e.getCause().getMessage(), e.getCause());
    }
  }

  private static DemoClinic serve(ClinicProfile profile, ResourceStore store,
      ClinicServerOptions options, CompletableFuture<Void> loaded) {
    FhirContext fhir = FhirContext.forR4Cached();
    RestfulServer servlet = new RestfulServer(fhir);
    servlet.setDefaultResponseEncoding(EncodingEnum.JSON);
    servlet.setResourceProviders(
        StoreResourceProviders.all(store, options.staleSearchCache()));
    FifoMemoryPagingProvider paging = new FifoMemoryPagingProvider(options.pagingCacheSize());
    paging.setDefaultPageSize(options.defaultPageSize());
    paging.setMaximumPageSize(options.maxPageSize());
    servlet.setPagingProvider(paging);

    QueuedThreadPool threads = new QueuedThreadPool(16, 2);
    threads.setName("demo-clinic-" + profile.id());
    Server jetty = new Server(threads);
    ServerConnector connector = new ServerConnector(jetty, 1, 1);
    connector.setHost(options.host());
    connector.setPort(0);
    jetty.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    BulkExportServlet export = new BulkExportServlet(store, options.export(), options.clock());
    ServletHolder exportHolder = new ServletHolder(export);
    if (options.export().only()) {
      context.addServlet(exportHolder, "/fhir/*");
    } else {
      context.addServlet(new ServletHolder(servlet), "/fhir/*");
      for (String path : List.of("/fhir/$export", "/fhir/$export-status/*", "/fhir/Binary/*")) {
        context.addServlet(exportHolder, path);
      }
    }
    context.addFilter(new FilterHolder(new LoadedGate(profile.id(), loaded)), "/*",
        EnumSet.of(DispatcherType.REQUEST));
    ClinicGate gate = new ClinicGate(options.faults(), options.auth(), options.clock());
    context.addFilter(new FilterHolder(gate), "/*", EnumSet.of(DispatcherType.REQUEST));
    context.addFilter(new FilterHolder(new HeldFlushes()), "/fhir/*",
        EnumSet.of(DispatcherType.REQUEST));
    jetty.setHandler(context);
    try {
      jetty.start();
    } catch (Exception e) {
      try {
        jetty.stop();
      } catch (Exception suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new IllegalStateException("demo clinic " + profile.id() + " failed to start", e);
    }
    String root = "http://" + options.host() + ":" + connector.getLocalPort();
    return new DemoClinic(profile, store, jetty, root, gate, export, loaded);
  }

  public String clinicId() {
    return profile.id();
  }

  public ClinicProfile profile() {
    return profile;
  }

  /** The FHIR base URL, e.g. {@code http://127.0.0.1:41234/fhir}. */
  public String baseUrl() {
    return baseUrl;
  }

  /** The SMART Backend Services token endpoint (when the clinic requires smart-backend auth). */
  public String tokenUrl() {
    return rootUrl + ClinicGate.TOKEN_PATH;
  }

  /** How many times the clinic has injected {@code fault} so far. */
  public int injected(FaultPlan.Fault fault) {
    return gate.injected(fault);
  }

  /** How many {@code $export} jobs were started. */
  public int exportJobsStarted() {
    return export.started();
  }

  /** How many times clients polled an {@code $export} job's status. */
  public int exportStatusPolls() {
    return export.polls();
  }

  /** How many {@code $export} jobs clients deleted. */
  public int exportJobsDeleted() {
    return export.deleted();
  }

  /**
   * Writes the current version of every resource in Bulk Data NDJSON layout (as
   * {@link NdjsonExport}): for a clinic that delivers its data as files.
   */
  public void exportNdjson(java.nio.file.Path dir) throws java.io.IOException {
    export(dir, false);
  }

  /**
   * Writes every stored version in the same layout, each id's versions oldest first: what
   * {@link #startFromNdjson} loads back into a clinic that serves the same versions.
   */
  public void exportHistory(java.nio.file.Path dir) throws java.io.IOException {
    export(dir, true);
  }

  private void export(java.nio.file.Path dir, boolean everyVersion) throws java.io.IOException {
    awaitLoaded();
    java.nio.file.Files.createDirectories(dir);
    for (String type : NdjsonExport.RESOURCE_TYPES) {
      try (java.io.Writer out = java.nio.file.Files.newBufferedWriter(
          dir.resolve(type + ".ndjson"), java.nio.charset.StandardCharsets.UTF_8)) {
        for (ResourceStore.Entry current : store.search(type, Long.MIN_VALUE, Long.MAX_VALUE,
            e -> true)) {
          for (ResourceStore.Entry e : everyVersion ? store.history(type, current.id)
              : List.of(current)) {
            out.write(e.json());
            out.write('\n');
          }
        }
      }
    }
  }

  /** How many SMART access tokens the clinic has issued. */
  public int tokensIssued() {
    return gate.tokensIssued();
  }

  /**
   * Creates or updates a resource (an id is assigned when it has none): a new version with the
   * next meta.versionId and meta.lastUpdated = the server clock. Returns the versioned id.
   */
  public IdType upsert(IBaseResource resource) {
    awaitLoaded();
    return store.upsert(resource);
  }

  /**
   * Retracts a resource by writing a new version marked entered-in-error (Observation and
   * MedicationAdministration status, Condition verificationStatus; Patient gets active=false).
   */
  public IdType retract(String resourceType, String id) {
    awaitLoaded();
    return store.retract(resourceType, id);
  }

  /** Every stored version of one resource, oldest first. */
  public List<IBaseResource> history(String resourceType, String id) {
    awaitLoaded();
    List<IBaseResource> versions = new ArrayList<>();
    for (ResourceStore.Entry entry : store.history(resourceType, id)) {
      versions.add(store.decode(entry));
    }
    return versions;
  }

  /** Number of distinct ids of one type (current versions). */
  public int count(String resourceType) {
    awaitLoaded();
    return store.count(resourceType);
  }

  /** Bytes of stored JSON over all versions (compressed size if compression is on). */
  public long storedPayloadBytes() {
    awaitLoaded();
    return store.payloadBytes();
  }

  /** Stops the server; idempotent. */
  @Override
  public void close() {
    try {
      jetty.stop();
    } catch (Exception e) {
      throw new IllegalStateException("demo clinic " + clinicId() + " failed to stop", e);
    }
  }
}
