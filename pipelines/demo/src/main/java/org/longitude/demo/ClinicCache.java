package org.longitude.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.longitude.common.Jars;
import org.longitude.common.LocalFolders;
import org.longitude.common.Sha256;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's clinics, kept between runs. Generating them and encoding every version with HAPI
 * is most of the demo's start-up, and gives the same bytes every time for the same seed, size
 * and code. The first demo after a build writes every version its clinics hold as NDJSON
 * ({@link DemoClinic#exportHistory}) into a folder, under the one the launcher names, named by
 * a hash of all that — the demo's
 * and core's jars, the class path (whose file names carry HAPI's version), seed, participants,
 * vitals — and later demos load those lines instead ({@link DemoClinics#startFromNdjson}, no
 * HAPI objects, while the demo goes on starting). Only the newest folder is kept; a folder
 * missing a file is replaced by a fresh generation; one whose files cannot be read leaves its
 * clinics answering 503 with the reason, and is deleted, so that the next demo generates them.
 */
public final class ClinicCache {
  private static final Logger LOG = LoggerFactory.getLogger(ClinicCache.class);
  /** Bump when the folder's layout changes. */
  private static final String FORMAT = "1";

  private final Path root;
  private final Path folder;

  ClinicCache(Path root, String key) {
    this.root = root;
    this.folder = root.resolve(key);
  }

  /** The folder the launcher keeps the demo's clinics in (a system property). */
  public static final String FOLDER_PROPERTY = "longitude.demoClinics";

  /**
   * The cache in the folder the launcher names in {@value #FOLDER_PROPERTY}; empty without it
   * (the tests) or when the demo's classes do not come from jars, as nothing then says when
   * they change.
   */
  public static Optional<ClinicCache> fromLauncher(long seed, int participantsPerClinic,
      boolean vitals) {
    String root = System.getProperty(FOLDER_PROPERTY);
    Optional<Path> demoJar = Jars.of(ClinicCache.class);
    Optional<Path> coreJar = Jars.of(org.longitude.config.Study.class);
    if (root == null || root.isBlank() || demoJar.isEmpty() || coreJar.isEmpty()) {
      return Optional.empty();
    }
    try {
      String key = Sha256.of(String.join("\n", FORMAT,
          System.getProperty("java.class.path", ""), Long.toString(seed),
          Integer.toString(participantsPerClinic), Boolean.toString(vitals),
          Sha256.of(demoJar.get()), Sha256.of(coreJar.get())));
      return Optional.of(new ClinicCache(Path.of(root), key.substring(0, 24)));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Where the clinics are (or will be) kept. */
  public Path folder() {
    return folder;
  }

  /**
   * The clinics from the kept folder with {@code load}, or else from {@code generate}, which
   * are then kept for the next demo (a failure to keep them is logged; the demo goes on).
   */
  public DemoClinics start(Supplier<DemoClinics> generate, Function<Path, DemoClinics> load) {
    if (Files.isDirectory(folder)) {
      try {
        if (!complete()) {
          throw new IllegalStateException("a clinic's file is missing");
        }
        DemoClinics clinics = load.apply(folder);
        clinics.loaded().whenComplete((loaded, failure) -> {
          if (failure != null) { // the clinics answer 503 with why; the next demo generates
            // allOf's failure is a CompletionException around the clinic's own
            LOG.warn("demo clinics could not be loaded from {} ({}); deleted, the next demo "
                + "generates them again", folder, failure.getCause().getMessage());
            deleteTree(folder);
          }
        });
        LOG.info("demo clinics loading from {}", folder);
        return clinics;
      } catch (RuntimeException e) {
        LOG.warn("demo clinics could not be loaded from {} ({}); generating them again",
            folder, e.getMessage());
        deleteTree(folder);
      }
    }
    DemoClinics clinics = generate.get();
    try {
      keep(clinics);
      LOG.info("demo clinics generated and kept in {} for the next demo", folder);
    } catch (IOException | RuntimeException e) {
      LOG.warn("demo clinics generated, but not kept in {}: {}", folder, e.getMessage());
    }
    return clinics;
  }

  /** Whether every clinic's every file is there (a file missing would serve nothing). */
  private boolean complete() {
    for (ClinicProfile clinic : ClinicProfile.values()) {
      for (String type : NdjsonExport.RESOURCE_TYPES) {
        if (!Files.isRegularFile(folder.resolve(clinic.id()).resolve(type + ".ndjson"))) {
          return false;
        }
      }
    }
    return true;
  }

  /** Writes into a folder of its own, then renames it: a folder under its key is complete. */
  void keep(DemoClinics clinics) throws IOException {
    Path partial = root.resolve(folder.getFileName() + ".partial-" + UUID.randomUUID());
    try {
      for (DemoClinic clinic : clinics.clinics()) {
        clinic.exportHistory(partial.resolve(clinic.clinicId()));
      }
      Files.move(partial, folder, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      deleteTree(partial);
    }
    try (Stream<Path> kept = Files.list(root)) { // earlier builds' and sizes' clinics
      kept.filter(p -> !p.equals(folder) && !p.getFileName().toString().contains(".partial-"))
          .forEach(ClinicCache::deleteTree);
    }
  }

  private static void deleteTree(Path path) {
    try {
      LocalFolders.delete(path);
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("could not delete {}: {}", path, e.getMessage());
    }
  }
}
