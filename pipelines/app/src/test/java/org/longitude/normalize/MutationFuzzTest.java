package org.longitude.normalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.longitude.common.Outcome;
import org.longitude.config.Location;
import org.longitude.config.Study;
import org.longitude.config.StudyKey;
import org.longitude.config.StudyLoader;
import org.longitude.demo.ClinicDataset;
import org.longitude.demo.NdjsonExport;
import org.longitude.demo.SyntheticStudy;
import org.longitude.pipeline.RunSummary;
import org.longitude.operate.StudyRun;
import org.longitude.testing.StudyFiles;

/**
 * Seeded random mutation of valid demo resources (drop, retype, duplicate, truncate): no
 * exception escapes the reader, every record gets exactly one outcome, and a whole run over
 * mutated files (normalize, de-identify, timelines) still accounts for every record. The seed
 * is printed in every failure message; rerun with it to reproduce.
 */
class MutationFuzzTest {
  private static final long SEED = 20261125L;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CLINIC = "north";
  private static final List<String> MUTATED_TYPES =
      List.of("Observation", "MedicationAdministration", "Condition", "Patient");

  enum Mutation { DROP, RETYPE, DUPLICATE, TRUNCATE }

  @Test
  void readerNeverThrowsAndGivesOneOutcome(@TempDir Path dir) throws IOException {
    Map<String, List<String>> lines = demoExport(dir);
    Study demo = StudyLoader.load(StudyLoader.DEMO);
    Study.Clinic clinic = demo.clinics().stream().filter(c -> c.id().equals(CLINIC)).findFirst()
        .orElseThrow();
    ResourceReader reader = new ResourceReader(CLINIC, demo.catalog(), clinic.mapping(),
        SyntheticStudy.REFERENCE_DATE);
    Random random = new Random(SEED);
    Map<Mutation, Integer> applied = new EnumMap<>(Mutation.class);
    int facts = 0;
    int dropped = 0;
    for (int i = 0; i < 5000; i++) {
      String type = MUTATED_TYPES.get(random.nextInt(MUTATED_TYPES.size()));
      List<String> pool = lines.get(type);
      String original = pool.get(random.nextInt(pool.size()));
      String mutated = mutate(original, random, applied);
      ResourceReader.Result r;
      try {
        r = reader.read(type, mutated);
      } catch (RuntimeException | StackOverflowError e) {
        throw new AssertionError("seed " + SEED + ", case " + i + ": " + type + " threw " + e
            + " on " + mutated, e);
      }
      assertTrue((r.fact() == null) != (r.dropped() == null),
          "seed " + SEED + ", case " + i + ": not exactly one outcome for " + mutated);
      if (r.fact() != null) {
        facts++;
      } else {
        dropped++;
      }
    }
    assertEquals(Mutation.values().length, applied.size(), "every mutation ran: " + applied);
    assertTrue(facts > 100 && dropped > 100, "mutations both kept and dropped records: "
        + facts + " kept, " + dropped + " dropped");
  }

  @Test
  void wholeRunOverMutatedFilesAccountsForEveryRecord(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    Map<String, List<String>> lines = demoExport(data);
    Random random = new Random(SEED + 1);
    Map<Mutation, Integer> applied = new EnumMap<>(Mutation.class);
    Map<String, Integer> written = new java.util.HashMap<>();
    for (String type : List.of("Observation", "MedicationAdministration", "Condition")) {
      List<String> out = new ArrayList<>();
      for (String line : lines.get(type)) {
        out.add(random.nextInt(3) == 0 ? mutate(line, random, applied) : line);
      }
      // A truncated line may end in a backslash or be empty: both are still one record each.
      out.replaceAll(l -> l.isBlank() ? "{" : l);
      Files.write(data.resolve(type + ".ndjson"), out);
      written.put(type, out.size());
    }
    StudyFiles.copy("longitude/fhir-mappings/clinics/" + CLINIC + ".yaml",
        dir.resolve(CLINIC + ".yaml"));
    Study study = StudyLoader.load(Location.file(StudyFiles.oneClinicStudy(dir, "fuzz", CLINIC,
        CLINIC + ".yaml", "{kind: ndjson, directory: data}")));
    PipelineOptions options = PipelineOptionsFactory.create();
    options.setRunner(DirectRunner.class);
    StudyRun.Result result = StudyRun.run(study,
        StudyKey.of("fuzz-test-key-of-at-least-32-bytes-long".getBytes()), dir.resolve("out"),
        options, "fuzz", SyntheticStudy.REFERENCE_DATE);
    RunSummary summary = result.summary();

    assertEquals(List.of(), summary.imbalances(), "seed " + (SEED + 1));
    assertEquals(StudyRun.Status.SUCCESS, result.status());
    written.forEach((type, n) -> {
      long read = summary.total(CLINIC, type, Outcome.READ);
      assertEquals((long) n, read, type + " lines read");
      assertEquals(read, summary.total(CLINIC, type, Outcome.WRITTEN)
          + summary.total(CLINIC, type, Outcome.FILTERED)
          + summary.total(CLINIC, type, Outcome.QUARANTINED), type + ": read = written + "
          + "filtered + quarantined");
    });
    assertTrue(applied.size() >= 3, "mutations applied: " + applied);
  }

  /** The demo's north clinic as NDJSON, one list of lines per resource type. */
  private static Map<String, List<String>> demoExport(Path dir) throws IOException {
    ClinicDataset north = SyntheticStudy.generate(7, 6).clinic(CLINIC);
    Map<String, Path> files = NdjsonExport.write(north, dir);
    Map<String, List<String>> lines = new java.util.HashMap<>();
    for (String type : MUTATED_TYPES) {
      lines.put(type, Files.readAllLines(files.get(type)).stream()
          .filter(l -> !l.isBlank()).toList());
      assertTrue(!lines.get(type).isEmpty(), "demo has " + type);
    }
    return lines;
  }

  /** One to three random mutations of a resource's JSON. */
  static String mutate(String json, Random random, Map<Mutation, Integer> applied)
      throws IOException {
    ObjectNode root = (ObjectNode) JSON.readTree(json);
    String text = null;
    int n = 1 + random.nextInt(3);
    for (int k = 0; k < n; k++) {
      Mutation m = Mutation.values()[random.nextInt(Mutation.values().length)];
      applied.merge(m, 1, Integer::sum);
      if (text != null) {
        break; // truncated text is no longer a tree to mutate
      }
      List<JsonNode> containers = new ArrayList<>();
      collect(root, containers);
      JsonNode target = containers.get(random.nextInt(containers.size()));
      switch (m) {
        case DROP -> {
          if (target instanceof ObjectNode o && o.size() > 0) {
            o.remove(fieldAt(o, random));
          } else if (target instanceof ArrayNode a && a.size() > 0) {
            a.remove(random.nextInt(a.size()));
          }
        }
        case RETYPE -> {
          JsonNode value = randomValue(random);
          if (target instanceof ObjectNode o && o.size() > 0) {
            o.set(fieldAt(o, random), value);
          } else if (target instanceof ArrayNode a && a.size() > 0) {
            a.set(random.nextInt(a.size()), value);
          }
        }
        case DUPLICATE -> {
          if (target instanceof ArrayNode a && a.size() > 0) {
            a.add(a.get(random.nextInt(a.size())).deepCopy());
          } else if (target instanceof ObjectNode o && o.size() > 0) {
            // A repeated member name (the last one wins in Jackson), written as text.
            String field = fieldAt(o, random);
            String s = root.toString();
            text = "{\"" + field + "\":" + randomValue(random) + "," + s.substring(1);
          }
        }
        case TRUNCATE -> {
          String s = root.toString();
          text = s.substring(0, random.nextInt(s.length()));
        }
      }
    }
    return text != null ? text : root.toString();
  }

  private static void collect(JsonNode node, List<JsonNode> out) {
    if (node.isContainerNode()) {
      out.add(node);
      node.forEach(child -> collect(child, out));
    }
  }

  private static String fieldAt(ObjectNode o, Random random) {
    List<String> names = new ArrayList<>();
    o.fieldNames().forEachRemaining(names::add);
    return names.get(random.nextInt(names.size()));
  }

  private static JsonNode randomValue(Random random) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    return switch (random.nextInt(9)) {
      case 0 -> f.nullNode();
      case 1 -> f.booleanNode(random.nextBoolean());
      case 2 -> f.numberNode(random.nextInt(200) - 100);
      case 3 -> f.numberNode(random.nextDouble() * 1e6);
      case 4 -> f.textNode("");
      case 5 -> f.textNode("2024-13-45T99:00:00Z");
      case 6 -> f.textNode("\u00e9\u2603 Patient/" + random.nextInt(5));
      case 7 -> f.arrayNode().add(random.nextInt(10));
      default -> f.objectNode().put("reference", "Patient/" + random.nextInt(5));
    };
  }
}
