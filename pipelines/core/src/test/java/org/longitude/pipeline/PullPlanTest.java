package org.longitude.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.longitude.config.ConfigException;
import org.longitude.config.Source;
import org.longitude.config.Study;
import org.longitude.config.StudyLoader;
import org.longitude.extract.PullState;

/** Which clinics a run pulls incrementally, from the state file (no pipeline is run). */
class PullPlanTest {
  @TempDir Path out;

  private static Study study() {
    Study demo = StudyLoader.load(StudyLoader.DEMO);
    return demo.withClinics(demo.clinics().stream().map(c -> c.withSource(new Source(
        Source.Kind.FHIR_SEARCH, "http://127.0.0.1:1/" + c.id(), 100, null))).toList());
  }

  private RunLayout layoutWithState(String northUrl) throws Exception {
    RunLayout earlier = new RunLayout(out, "r1");
    earlier.create();
    Files.createDirectories(earlier.landing().resolve("north"));
    new PullState(Map.of("north", new PullState.ClinicState("2026-01-01T00:00:00.000Z",
        List.of("r1"), northUrl))).write(earlier.restricted());
    RunLayout layout = new RunLayout(out, "r2");
    layout.create();
    return layout;
  }

  @Test
  void aClinicWithAMarkFromTheSameServerIsPulledIncrementally() throws Exception {
    RunLayout layout = layoutWithState("http://127.0.0.1:1/north");
    PullPlan.of(study(), layout, PullMode.incremental());
    String merged = Files.readString(layout.landing().resolve(PullPlan.MERGED));
    assertEquals("{\"north\":[\"r1\"]}", merged);
  }

  @Test
  void aClinicThatMovedOrFullModeIsPulledInFull() throws Exception {
    RunLayout layout = layoutWithState("http://127.0.0.1:2/north");
    PullPlan.of(study(), layout, PullMode.incremental());
    assertFalse(Files.exists(layout.landing().resolve(PullPlan.MERGED)));
    RunLayout same = layoutWithState("http://127.0.0.1:1/north");
    PullPlan.of(study(), same, PullMode.full());
    assertFalse(Files.exists(same.landing().resolve(PullPlan.MERGED)));
  }

  @Test
  void fromLandingOfAnUnknownRunIsRefused() throws Exception {
    RunLayout layout = layoutWithState("http://127.0.0.1:1/north");
    ConfigException e = assertThrows(ConfigException.class,
        () -> PullPlan.of(study(), layout, PullMode.fromLanding("no-such-run")));
    assertTrue(e.getMessage().contains("no landing of that run"), e.getMessage());
    assertEquals("r1", PullPlan.of(study(), layout, PullMode.fromLanding("r1")).dataRunId());
  }
}
