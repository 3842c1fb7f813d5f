package org.longitude.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
    List<DemoClinic> started = new ArrayList<>();
    try {
      for (ClinicDataset dataset : study.clinics()) {
        started.add(DemoClinic.start(dataset,
            perClinic.getOrDefault(dataset.clinicId(), options)));
      }
    } catch (RuntimeException e) {
      for (DemoClinic clinic : started) {
        try {
          clinic.close();
        } catch (RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
    return new DemoClinics(started);
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
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
