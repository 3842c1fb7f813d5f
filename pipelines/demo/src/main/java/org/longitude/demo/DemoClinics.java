package org.longitude.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * All clinics of a {@link SyntheticStudy}, each served by its own {@link DemoClinic}. Close it
 * (try-with-resources) to stop every server.
 *
 * <pre>{@code
 * try (DemoClinics clinics = DemoClinics.start(SyntheticStudy.generate(42, 50))) {
 *   String north = clinics.clinic("north").baseUrl();
 * }
 * }</pre>
 */
public final class DemoClinics implements AutoCloseable {

  private final List<DemoClinic> clinics;

  private DemoClinics(List<DemoClinic> clinics) {
    this.clinics = List.copyOf(clinics);
  }

  /** Starts every clinic with {@link ClinicServerOptions#defaults()}. */
  public static DemoClinics start(SyntheticStudy study) {
    return start(study, ClinicServerOptions.defaults());
  }

  /** Starts every clinic with the same options; on failure the ones already started stop. */
  public static DemoClinics start(SyntheticStudy study, ClinicServerOptions options) {
    return start(study, options, Map.of());
  }

  /**
   * Starts every clinic with {@code options}, except those named in {@code perClinic} (e.g. one
   * clinic that injects faults or requires auth).
   */
  public static DemoClinics start(SyntheticStudy study, ClinicServerOptions options,
      Map<String, ClinicServerOptions> perClinic) {
    // Loading a clinic encodes every version it holds with HAPI, most of the demo's start-up.
    return startEach(study.clinics().stream().map(dataset -> (Callable<DemoClinic>) () ->
        DemoClinic.start(dataset, perClinic.getOrDefault(dataset.clinicId(), options)))
        .toList());
  }

  /**
   * Starts a clinic of each {@link ClinicProfile} from {@code dir/<clinic>/}, as written by
   * {@link DemoClinic#exportHistory}, with {@code options} except those in {@code perClinic}.
   * They serve at once and load their files meanwhile, side by side, {@code first}'s first
   * ({@link DemoClinic#startLoading}: requests wait for the data); {@link #loaded()} tells
   * when all have.
   */
  public static DemoClinics startFromNdjson(Path dir, ClinicServerOptions options,
      Map<String, ClinicServerOptions> perClinic, ClinicProfile first) {
    List<ClinicProfile> order = new ArrayList<>(List.of(ClinicProfile.values()));
    order.remove(first);
    order.add(0, first);
    ExecutorService loaders = loaders(order.size());
    Map<ClinicProfile, DemoClinic> started = new EnumMap<>(ClinicProfile.class);
    try {
      for (ClinicProfile profile : order) {
        started.put(profile, DemoClinic.startLoading(profile, dir.resolve(profile.id()),
            perClinic.getOrDefault(profile.id(), options), loaders));
      }
    } catch (RuntimeException e) {
      throw stopped(started.values(), e);
    } finally {
      loaders.shutdown(); // its threads end once the loads are done
    }
    return new DemoClinics(new ArrayList<>(started.values()));
  }

  /** Completes when every clinic's data are loaded, or with the first that failed. */
  public CompletableFuture<Void> loaded() {
    return CompletableFuture.allOf(clinics.stream().map(DemoClinic::loaded)
        .toArray(CompletableFuture[]::new));
  }

  /** The clinics share nothing, so they start side by side; on failure the started stop. */
  private static DemoClinics startEach(List<Callable<DemoClinic>> clinics) {
    ExecutorService loaders = loaders(clinics.size());
    List<Future<DemoClinic>> starting = new ArrayList<>();
    try {
      clinics.forEach(clinic -> starting.add(loaders.submit(clinic)));
    } finally {
      loaders.shutdown();
    }
    List<DemoClinic> started = new ArrayList<>();
    RuntimeException failure = null;
    for (Future<DemoClinic> clinic : starting) {
      try {
        started.add(await(clinic));
      } catch (RuntimeException e) {
        failure = joined(failure, e);
      }
    }
    if (failure != null) {
      throw stopped(started, failure);
    }
    return new DemoClinics(started);
  }

  /** Threads to load {@code clinics} clinics on, one per core at most; they end when idle. */
  private static ExecutorService loaders(int clinics) {
    return Executors.newFixedThreadPool(Math.max(1, Math.min(clinics,
        Runtime.getRuntime().availableProcessors())), task -> {
          Thread thread = new Thread(task, "demo-clinic-loader");
          thread.setDaemon(true);
          return thread;
        });
  }

  /** Stops the clinics that started before {@code failure}; returns it to be thrown. */
  private static RuntimeException stopped(Collection<DemoClinic> started,
      RuntimeException failure) {
    try {
      new DemoClinics(new ArrayList<>(started)).close();
    } catch (RuntimeException suppressed) {
      failure.addSuppressed(suppressed);
    }
    return failure;
  }

  /** The first failure, with the later ones suppressed in it. */
  private static RuntimeException joined(RuntimeException first, RuntimeException next) {
    if (first == null) {
      return next;
    }
    first.addSuppressed(next);
    return first;
  }

  private static DemoClinic await(Future<DemoClinic> clinic) {
    try {
      return clinic.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw new UncheckedIOException("a demo clinic could not be loaded", io);
      }
      throw e.getCause() instanceof RuntimeException r ? r
          : new IllegalStateException("a demo clinic did not start", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the demo clinics started", e);
    }
  }

  /** The running clinics, in {@link ClinicProfile} order. */
  public List<DemoClinic> clinics() {
    return clinics;
  }

  /** The running clinic with this id; throws if there is none. */
  public DemoClinic clinic(String clinicId) {
    return clinics.stream().filter(c -> c.clinicId().equals(clinicId)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no clinic " + clinicId));
  }

  @Override
  public void close() {
    RuntimeException failure = null;
    for (DemoClinic clinic : clinics) {
      try {
        clinic.close();
      } catch (RuntimeException e) {
        failure = joined(failure, e);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
