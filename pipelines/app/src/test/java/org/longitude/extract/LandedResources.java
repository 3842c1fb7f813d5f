package org.longitude.extract;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Resource;
import org.longitude.config.Study;
import org.longitude.demo.SyntheticStudy;

/** What a clinic serves that a study asks for, and what a run landed of it. */
final class LandedResources {
  private LandedResources() {}

  /** Ids of the clinic's current resources of {@code type} that the study pulls. */
  static Set<String> expected(SyntheticStudy synthetic, Study study, String clinic,
      String type) {
    Set<String> codes = new HashSet<>(study.observationCodes(study.clinicsById().get(clinic)));
    return synthetic.clinic(clinic).resources().stream()
        .filter(r -> r.fhirType().equals(type))
        .filter(r -> !(r instanceof Observation o) || o.getCode().getCoding().stream()
            .map(LandedResources::token).anyMatch(codes::contains))
        .map(Resource::getIdElement).map(i -> i.getIdPart()).collect(Collectors.toSet());
  }

  /** Ids in the landed {@code <type>-*.ndjson} files under {@code dir}, repeats kept. */
  static List<String> landedIds(Path dir, String type) throws IOException {
    List<String> ids = new ArrayList<>();
    if (!Files.exists(dir)) {
      return ids;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(f -> f.getFileName().toString().startsWith(type + "-"))
          .toList()) {
        for (String line : Files.readAllLines(f)) {
          if (!line.isBlank()) {
            ids.add(FaultyClinicPullTest.id(line));
          }
        }
      }
    }
    return ids;
  }

  private static String token(Coding c) {
    return (c.hasSystem() ? c.getSystem() : "") + "|" + c.getCode();
  }
}
