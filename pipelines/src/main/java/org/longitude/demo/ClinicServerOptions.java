package org.longitude.demo;

import java.time.Clock;
import java.util.Objects;

/**
 * Immutable configuration of one demo FHIR server. Start from {@link #defaults()} and derive
 * variants with the {@code withX} methods, each returning a copy. Later additions (Bulk Data
 * $export, auth requirements, fault injection) belong here as further fields.
 */
public final class ClinicServerOptions {

  private final String host;
  private final int defaultPageSize;
  private final int maxPageSize;
  private final int pagingCacheSize;
  private final boolean compressedStorage;
  private final Clock clock;

  private ClinicServerOptions(String host, int defaultPageSize, int maxPageSize,
      int pagingCacheSize, boolean compressedStorage, Clock clock) {
    this.host = host;
    this.defaultPageSize = defaultPageSize;
    this.maxPageSize = maxPageSize;
    this.pagingCacheSize = pagingCacheSize;
    this.compressedStorage = compressedStorage;
    this.clock = clock;
  }

  /**
   * 127.0.0.1, page size 50 (max 1000), 500 cached searches, uncompressed storage, the system
   * UTC clock for mutations.
   */
  public static ClinicServerOptions defaults() {
    return new ClinicServerOptions("127.0.0.1", 50, 1000, 500, false, Clock.systemUTC());
  }

  /** The interface to bind to (port is always ephemeral). */
  public ClinicServerOptions withHost(String host) {
    return new ClinicServerOptions(Objects.requireNonNull(host), defaultPageSize, maxPageSize,
        pagingCacheSize, compressedStorage, clock);
  }

  /** Page size when the client sends no {@code _count}. */
  public ClinicServerOptions withDefaultPageSize(int size) {
    return new ClinicServerOptions(host, positive(size), maxPageSize, pagingCacheSize,
        compressedStorage, clock);
  }

  /** Upper bound on {@code _count}. */
  public ClinicServerOptions withMaxPageSize(int size) {
    return new ClinicServerOptions(host, defaultPageSize, positive(size), pagingCacheSize,
        compressedStorage, clock);
  }

  /** How many search result sets the server keeps for paging (FIFO). */
  public ClinicServerOptions withPagingCacheSize(int size) {
    return new ClinicServerOptions(host, defaultPageSize, maxPageSize, positive(size),
        compressedStorage, clock);
  }

  /** Deflate stored JSON: roughly a third of the heap per resource, slower pages. */
  public ClinicServerOptions withCompressedStorage(boolean compressed) {
    return new ClinicServerOptions(host, defaultPageSize, maxPageSize, pagingCacheSize,
        compressed, clock);
  }

  /** The clock that stamps meta.lastUpdated on mutations. */
  public ClinicServerOptions withClock(Clock clock) {
    return new ClinicServerOptions(host, defaultPageSize, maxPageSize, pagingCacheSize,
        compressedStorage, Objects.requireNonNull(clock));
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
