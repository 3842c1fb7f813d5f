package org.longitude.demo;

import java.time.Clock;
import java.util.Objects;

/**
 * Immutable configuration of one demo FHIR server. Start from {@link #defaults()} and derive
 * variants with the {@code withX} methods, each returning a copy: paging, storage, the
 * mutation clock, the auth the clinic requires ({@link ServerAuth}) and the faults it injects
 * ({@link FaultPlan}).
 */
public final class ClinicServerOptions {

  private final String host;
  private final int defaultPageSize;
  private final int maxPageSize;
  private final int pagingCacheSize;
  private final boolean compressedStorage;
  private final Clock clock;
  private final ServerAuth auth;
  private final FaultPlan faults;
  private final ExportPlan export;
  private final java.time.Duration staleSearchCache;

  private ClinicServerOptions(String host, int defaultPageSize, int maxPageSize,
      int pagingCacheSize, boolean compressedStorage, Clock clock, ServerAuth auth,
      FaultPlan faults) {
    this(host, defaultPageSize, maxPageSize, pagingCacheSize, compressedStorage, clock, auth,
        faults, ExportPlan.defaults(), java.time.Duration.ZERO);
  }

  private ClinicServerOptions(String host, int defaultPageSize, int maxPageSize,
      int pagingCacheSize, boolean compressedStorage, Clock clock, ServerAuth auth,
      FaultPlan faults, ExportPlan export, java.time.Duration staleSearchCache) {
    this.host = host;
    this.defaultPageSize = defaultPageSize;
    this.maxPageSize = maxPageSize;
    this.pagingCacheSize = pagingCacheSize;
    this.compressedStorage = compressedStorage;
    this.clock = clock;
    this.auth = auth;
    this.faults = faults;
    this.export = export;
    this.staleSearchCache = staleSearchCache;
  }

  /**
   * 127.0.0.1, page size 50 (max 1000), 500 cached searches, uncompressed storage, the system
   * UTC clock for mutations, no auth, no faults.
   */
  public static ClinicServerOptions defaults() {
    return new ClinicServerOptions("127.0.0.1", 50, 1000, 500, false, Clock.systemUTC(),
        ServerAuth.none(), FaultPlan.none());
  }

  /** The interface to bind to (port is always ephemeral). */
  public ClinicServerOptions withHost(String host) {
    return new ClinicServerOptions(Objects.requireNonNull(host), defaultPageSize, maxPageSize,
        pagingCacheSize, compressedStorage, clock, auth, faults, export, staleSearchCache);
  }

  /** Page size when the client sends no {@code _count}. */
  public ClinicServerOptions withDefaultPageSize(int size) {
    return new ClinicServerOptions(host, positive(size), maxPageSize, pagingCacheSize,
        compressedStorage, clock, auth, faults, export, staleSearchCache);
  }

  /** Upper bound on {@code _count}. */
  public ClinicServerOptions withMaxPageSize(int size) {
    return new ClinicServerOptions(host, defaultPageSize, positive(size), pagingCacheSize,
        compressedStorage, clock, auth, faults, export, staleSearchCache);
  }

  /** How many search result sets the server keeps for paging (FIFO). */
  public ClinicServerOptions withPagingCacheSize(int size) {
    return new ClinicServerOptions(host, defaultPageSize, maxPageSize, positive(size),
        compressedStorage, clock, auth, faults, export, staleSearchCache);
  }

  /** Deflate stored JSON: roughly a third of the heap per resource, slower pages. */
  public ClinicServerOptions withCompressedStorage(boolean compressed) {
    return new ClinicServerOptions(host, defaultPageSize, maxPageSize, pagingCacheSize,
        compressed, clock, auth, faults, export, staleSearchCache);
  }

  /** The clock that stamps meta.lastUpdated on mutations. */
  public ClinicServerOptions withClock(Clock clock) {
    return new ClinicServerOptions(host, defaultPageSize, maxPageSize, pagingCacheSize,
        compressedStorage, Objects.requireNonNull(clock), auth, faults, export, staleSearchCache);
  }

  /** The auth the clinic requires of its clients (SMART token endpoint: {@code /auth/token}). */
  public ClinicServerOptions withAuth(ServerAuth auth) {
    return new ClinicServerOptions(host, defaultPageSize, maxPageSize, pagingCacheSize,
        compressedStorage, clock, Objects.requireNonNull(auth), faults, export, staleSearchCache);
  }

  /** The faults the clinic injects in front of its FHIR server. */
  public ClinicServerOptions withFaults(FaultPlan faults) {
    return new ClinicServerOptions(host, defaultPageSize, maxPageSize, pagingCacheSize,
        compressedStorage, clock, auth, Objects.requireNonNull(faults), export,
        staleSearchCache);
  }

  /** How the clinic serves Bulk Data {@code $export} ({@link ExportPlan#exportOnly()}: only that). */
  public ClinicServerOptions withExport(ExportPlan export) {
    return new ClinicServerOptions(host, defaultPageSize, maxPageSize, pagingCacheSize,
        compressedStorage, clock, auth, faults, Objects.requireNonNull(export),
        staleSearchCache);
  }

  public ExportPlan export() {
    return export;
  }

  /**
   * Emulates HAPI FHIR JPA's search cache: a search identical to one made within
   * {@code window} is answered with that earlier result, blind to writes since, unless the
   * request says {@code Cache-Control: no-cache}. Zero (the default) turns it off.
   */
  public ClinicServerOptions withStaleSearchCache(java.time.Duration window) {
    return new ClinicServerOptions(host, defaultPageSize, maxPageSize, pagingCacheSize,
        compressedStorage, clock, auth, faults, export, Objects.requireNonNull(window));
  }

  public java.time.Duration staleSearchCache() {
    return staleSearchCache;
  }

  public ServerAuth auth() {
    return auth;
  }

  public FaultPlan faults() {
    return faults;
  }

  public String host() {
    return host;
  }

  public int defaultPageSize() {
    return defaultPageSize;
  }

  public int maxPageSize() {
    return maxPageSize;
  }

  public int pagingCacheSize() {
    return pagingCacheSize;
  }

  public boolean compressedStorage() {
    return compressedStorage;
  }

  public Clock clock() {
    return clock;
  }

  private static int positive(int value) {
    if (value < 1) {
      throw new IllegalArgumentException("must be >= 1: " + value);
    }
    return value;
  }
}
